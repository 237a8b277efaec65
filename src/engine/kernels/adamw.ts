/**
 * AdamW as one kernel: for every parameter at once on the CPU backends (wasm,
 * cpu), for one parameter on WebGPU.
 *
 * Written with TF.js ops, one parameter's update is about fifteen kernels
 * (two moments, bias corrections, the square root, decay, the step, the clip
 * scale), so AdamW alone launched ~780 of the ~1,840 kernels of a `baby`
 * training step; at Heed's sizes a kernel costs its launch, not its
 * arithmetic. `HeedAdamW` does one parameter's update in one loop over the
 * backend's own memory and returns the new parameter and moments;
 * `HeedAdamWAll` (wasm, cpu) does it for every parameter in one kernel (the
 * same loop per parameter), so the optimiser is one kernel per step there.
 * WebGPU cannot bind more than 8 storage buffers to a program, so there it
 * stays one kernel per parameter.
 *
 * Bit for bit the same as the ops it replaces: every operation is rounded to
 * float32 (`Math.fround`) in the same order as the op composition, so one
 * float32 operation at a time (for +, -, *, / and sqrt, a double result
 * rounded to float32 is the correctly rounded float32 result). On WebGPU it
 * is one WGSL program per output (parameter, two moments) with the step's
 * numbers as uniforms: the op composition also uploaded each of them as a
 * scalar tensor, about nine per parameter, and an upload costs ~250 µs there
 * (../shared/GPU.md). WGSL's division and square root are not exact, so there
 * it matches the composition to a few ulps, not bit for bit. WebGL runs the op
 * composition, `adamwOps`, which is also the reference the kernels are tested
 * against.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { type WebGpuLike, cpuMemory, registerOn, sizeOf } from './access.ts';

const KERNEL = 'HeedAdamW';
const KERNEL_ALL = 'HeedAdamWAll';

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

type Inputs = { p: tf.TensorInfo; g: tf.TensorInfo; m: tf.TensorInfo; v: tf.TensorInfo; scale: tf.TensorInfo };

/** One workgroup of 64 per 64 values, in one dispatch dimension (at most 65,535 workgroups). */
const WEBGPU_MAX = 64 * 65_535;

const UNIFORMS = ['lr', 'beta1', 'beta2', 'eps', 'bc1', 'bc2', 'decay'] as const;
// Which output a dispatch writes is a uniform, not a shader variant: a variant that did not
// read P would leave P's binding out of the pipeline's layout, and the bind group would fail.

/** One output of the update (uniform `output` 0: the parameter, 1: the first moment, 2: the second), one thread per value. */
class AdamWProgram implements WebGPUProgram {
  variableNames = ['P', 'G', 'M', 'V', 'S'];
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  uniforms = [...UNIFORMS, 'output'].map((u) => `${u} : f32,`).join(' ');
  shaderKey = 'heedAdamW';

  constructor(shape: number[]) {
    this.outputShape = shape;
    this.dispatchLayout = { x: shape.map((_, i) => i) };
    this.dispatch = [Math.ceil(sizeOf(shape) / this.workgroupSize[0]), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let g = G[index] * S[0];
          let m = M[index] * uniforms.beta1 + g * (1.0 - uniforms.beta1);
          let v = V[index] * uniforms.beta2 + (g * g) * (1.0 - uniforms.beta2);
          let update = (m / uniforms.bc1) / (sqrt(v / uniforms.bc2) + uniforms.eps);
          let p = P[index] * uniforms.decay - update * uniforms.lr;
          setOutputAtIndex(index, select(select(v, m, uniforms.output == 1.0), p, uniforms.output == 0.0));
        }
      }`;
  }
}

type Run = (x: Inputs, backend: unknown, a: AdamWStep) => tf.TensorInfo[];

const onCpu = (name: 'wasm' | 'cpu'): Run => ({ p, g, m, v, scale }, backend, a) => {
  const mem = cpuMemory(name, backend);
  const outs = mem.outputs([p.shape, p.shape, p.shape]); // before reading: the wasm heap may grow
  const at = mem.read;
  update(at(p), at(g), at(m), at(v), at(scale)[0], a, outs.values as Outs);
  return outs.infos();
};

type Outs = [Float32Array, Float32Array, Float32Array];

const onWebGpu: Run = ({ p, g, m, v, scale }, backend, a) => {
  const uniforms = UNIFORMS.map((u) => ({ type: 'float32' as const, data: [a[u]] }));
  const program = new AdamWProgram(p.shape);
  const run = (o: number) => (backend as WebGpuLike).runWebGPUProgram(program, [p, g, m, v, scale], 'float32', [...uniforms, { type: 'float32', data: [o] }]);
  return [run(0), run(1), run(2)];
};

/** Every parameter: inputs p0, g0, m0, v0, p1, ... and scale; outputs p0', m0', v0', p1', ... */
const onCpuAll = (name: 'wasm' | 'cpu'): tf.KernelFunc => ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as AdamWStep & { decays: number[] };
  const x = inputs as Record<string, tf.TensorInfo>;
  const n = a.decays.length;
  const mem = cpuMemory(name, backend);
  const outs = mem.outputs(Array.from({ length: 3 * n }, (_, i) => x[`p${Math.floor(i / 3)}`].shape)); // before reading: the heap may grow
  const at = mem.read;
  const scale = at(x.scale)[0];
  for (let i = 0; i < n; i++) {
    const [p, g, m, v] = ['p', 'g', 'm', 'v'].map((k) => at(x[`${k}${i}`]));
    update(p, g, m, v, scale, { ...a, decay: a.decays[i] }, outs.values.slice(3 * i, 3 * i + 3) as Outs);
  }
  return outs.infos();
};

function register(): void {
  registerOn(KERNEL_ALL, 'wasm', onCpuAll('wasm'));
  registerOn(KERNEL_ALL, 'cpu', onCpuAll('cpu'));
  const on = (name: string, run: Run) =>
    registerOn(KERNEL, name, ({ inputs, backend, attrs }) => run(inputs as unknown as Inputs, backend, attrs as unknown as AdamWStep));
  on('wasm', onCpu('wasm'));
  on('cpu', onCpu('cpu'));
  on('webgpu', onWebGpu);
}

/** One parameter's AdamW update: new parameter, first and second moments (new tensors). */
export function adamwStep(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, scale: tf.Scalar, a: AdamWStep): [tf.Tensor, tf.Tensor, tf.Tensor] {
  register();
  const backend = tf.getBackend();
  if (backend === 'wasm' || backend === 'cpu' || (backend === 'webgpu' && p.size <= WEBGPU_MAX)) {
    const [p1, m1, v1] = tf.engine().runKernel(KERNEL, { p, g, m, v, scale }, { ...a } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return [p1, m1, v1];
  }
  return adamwOps(p, g, m, v, scale, a);
}

/**
 * Every parameter's update in one kernel where the backend allows it (wasm,
 * cpu): [new parameter, first moment, second moment] per parameter; null
 * elsewhere (update each with adamwStep). `decays[i]` is parameter i's decay factor.
 */
export function adamwAll(ps: tf.Tensor[], gs: tf.Tensor[], ms: tf.Tensor[], vs: tf.Tensor[], scale: tf.Scalar, a: Omit<AdamWStep, 'decay'>, decays: number[]): [tf.Tensor, tf.Tensor, tf.Tensor][] | null {
  const backend = tf.getBackend();
  if (backend !== 'wasm' && backend !== 'cpu') return null;
  register();
  const inputs: Record<string, tf.Tensor> = { scale };
  ps.forEach((p, i) => Object.assign(inputs, { [`p${i}`]: p, [`g${i}`]: gs[i], [`m${i}`]: ms[i], [`v${i}`]: vs[i] }));
  const outs = tf.engine().runKernel(KERNEL_ALL, inputs, { ...a, decays } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return ps.map((_, i) => [outs[3 * i], outs[3 * i + 1], outs[3 * i + 2]]);
}
