/**
 * AdamW for one parameter as one kernel on the CPU backends (wasm, cpu).
 *
 * Written with TF.js ops, one parameter's update is about fifteen kernels
 * (two moments, bias corrections, the square root, decay, the step, the clip
 * scale), so AdamW alone launched ~780 of the ~1,840 kernels of a `baby`
 * training step; at Heed's sizes a kernel costs its launch, not its
 * arithmetic. `HeedAdamW` does the whole update in one loop over the
 * backend's own memory and returns the new parameter and moments.
 *
 * Bit for bit the same as the ops it replaces: every operation is rounded to
 * float32 (`Math.fround`) in the same order as the op composition, so one
 * float32 operation at a time (for +, -, *, / and sqrt, a double result
 * rounded to float32 is the correctly rounded float32 result). Other backends
 * (WebGPU, WebGL) run the op composition, `adamwOps`, which is also the
 * reference the kernel is tested against.
 */
import * as tf from '@tensorflow/tfjs-core';

const KERNEL = 'HeedAdamW';

/** What one update needs besides the tensors; JS numbers, as the op composition used them. */
export interface AdamWStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  bc1: number; // 1 - beta1^t
  bc2: number; // 1 - beta2^t
  decay: number; // 1 - lr * weightDecay, or 1 for parameters that do not decay
}

/** The update as TF.js ops: g' = g*scale, the moments, then p*decay - lr * m^/(sqrt(v^)+eps). */
export function adamwOps(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, scale: tf.Scalar, a: AdamWStep): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const gs = tf.mul(g, scale);
    const m1 = tf.add(tf.mul(m, a.beta1), tf.mul(gs, 1 - a.beta1));
    const v1 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(gs), 1 - a.beta2));
    const update = tf.div(tf.div(m1, a.bc1), tf.add(tf.sqrt(tf.div(v1, a.bc2)), a.eps));
    const decayed = a.decay !== 1 ? tf.mul(p, a.decay) : p;
    return [tf.sub(decayed, tf.mul(update, a.lr)), m1, v1];
  });
}

/** The loop both CPU backends run, on plain arrays (outputs written in place). */
function update(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, scale: number, a: AdamWStep, out: [Float32Array, Float32Array, Float32Array]) {
  const f = Math.fround;
  const [b1, c1, b2, c2, bc1, bc2, eps, lr, decay, s] = [a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.bc1, a.bc2, a.eps, a.lr, a.decay, scale].map(f);
  const [po, mo, vo] = out;
  for (let i = 0; i < p.length; i++) {
    const gi = f(g[i] * s);
    const mi = f(f(m[i] * b1) + f(gi * c1));
    const vi = f(f(v[i] * b2) + f(f(gi * gi) * c2));
    const u = f(f(mi / bc1) / f(f(Math.sqrt(f(vi / bc2))) + eps));
    const pd = decay !== 1 ? f(p[i] * decay) : p[i];
    po[i] = f(pd - f(u * lr));
    mo[i] = mi;
    vo[i] = vi;
  }
}

interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}
interface CpuLike {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}
type Inputs = { p: tf.TensorInfo; g: tf.TensorInfo; m: tf.TensorInfo; v: tf.TensorInfo; scale: tf.TensorInfo };

function register(): void {
  if (!tf.getKernel(KERNEL, 'wasm')) {
    tf.registerKernel({
      kernelName: KERNEL,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { p, g, m, v, scale } = inputs as unknown as Inputs;
        const be = backend as unknown as WasmLike;
        const outs = [0, 1, 2].map(() => be.makeOutput(p.shape, 'float32')); // allocate first: the heap may grow
        const at = (t: tf.TensorInfo) => be.typedArrayFromHeap(t);
        update(at(p), at(g), at(m), at(v), at(scale)[0], attrs as unknown as AdamWStep, outs.map(at) as [Float32Array, Float32Array, Float32Array]);
        return outs;
      },
    });
  }
  if (!tf.getKernel(KERNEL, 'cpu')) {
    tf.registerKernel({
      kernelName: KERNEL,
      backendName: 'cpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { p, g, m, v, scale } = inputs as unknown as Inputs;
        const be = backend as unknown as CpuLike;
        const at = (t: tf.TensorInfo) => be.data.get(t.dataId).values;
        const outs = [0, 1, 2].map(() => new Float32Array(p.shape.reduce((x, y) => x * y, 1))) as [Float32Array, Float32Array, Float32Array];
        update(at(p), at(g), at(m), at(v), at(scale)[0], attrs as unknown as AdamWStep, outs);
        return outs.map((o) => be.makeTensorInfo(p.shape, 'float32', o));
      },
    });
  }
}

/** One parameter's AdamW update: new parameter, first and second moments (new tensors). */
export function adamwStep(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, scale: tf.Scalar, a: AdamWStep): [tf.Tensor, tf.Tensor, tf.Tensor] {
  register();
  const backend = tf.getBackend();
  if ((backend === 'wasm' || backend === 'cpu') && tf.getKernel(KERNEL, backend)) {
    const [p1, m1, v1] = tf.engine().runKernel(KERNEL, { p, g, m, v, scale }, { ...a } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return [p1, m1, v1];
  }
  return adamwOps(p, g, m, v, scale, a);
}
