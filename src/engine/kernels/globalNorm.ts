/**
 * The global L2 norm of all gradients in one kernel (`HeedGlobalNorm`).
 *
 * As ops it was a Square and a Sum per gradient and an Add per pair: ~156 of
 * a `baby` step's kernels, each costing its launch. On wasm and cpu the
 * kernel is one loop over every gradient, summed in float64 (so it is more
 * accurate than the float32 op composition, not bit-identical: it agrees to
 * ~1e-7 relative, and the norm only sets the clip factor and the reported
 * gradient norm). On WebGPU many adapters allow 8 storage buffers per stage
 * (an addN over every gradient once failed validation there and silently read
 * as 0), so one program cannot bind 52 gradients; it is a chain: each dispatch is one workgroup that sums the squares of up to six
 * gradients plus the previous partial sum, and the last takes the square
 * root, so ceil(n / 6) dispatches in all, and no scalar upload.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { type WebGpuLike, cpuMemory, once, registerAll } from './access.ts';

const KERNEL = 'HeedGlobalNorm';
/** Gradients per WebGPU dispatch: 6 + the running sum + the output = 8 storage buffers. */
const PER_DISPATCH = 6;
const THREADS = 256;

/** The unfused reference and the fallback (WebGL): sqrt(sum over tensors of sum(g^2)), summed pairwise, not with addN. */
export function globalNormOps(grads: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(grads.map((g) => tf.sum(tf.square(g))).reduce((a, b) => tf.add(a, b))) as tf.Scalar);
}

/** Sums squares of G0..G{n-1} (and adds ACC, the previous dispatch's sum); one workgroup, a tree reduction. */
class SumSquaresProgram implements WebGPUProgram {
  variableNames: string[];
  outputShape = [1];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number] = [1, 1, 1];
  workgroupSize: [number, number, number] = [THREADS, 1, 1];
  uniforms: string;
  shaderKey: string;

  constructor(private n: number, private chained: boolean, private last: boolean) {
    this.variableNames = [...Array.from({ length: n }, (_, i) => `G${i}`), ...(chained ? ['ACC'] : [])];
    this.uniforms = Array.from({ length: n }, (_, i) => `len${i} : i32,`).join(' ');
    this.shaderKey = `heedSumSquares_${n}_${chained}_${last}`;
  }

  getUserCode(): string {
    const loops = Array.from({ length: this.n }, (_, i) => `
          for (var k = i32(localId.x); k < uniforms.len${i}; k = k + ${THREADS}) { let g = G${i}[k]; s = s + g * g; }`).join('');
    const total = this.chained ? 'partial[0] + ACC[0]' : 'partial[0]';
    return `
      var<workgroup> partial : array<f32, ${THREADS}>;
      fn main(index : i32) {
        var s = 0.0;${loops}
        partial[localId.x] = s;
        workgroupBarrier();
        for (var half = ${THREADS / 2}u; half > 0u; half = half / 2u) {
          if (localId.x < half) { partial[localId.x] = partial[localId.x] + partial[localId.x + half]; }
          workgroupBarrier();
        }
        if (localId.x == 0u) { setOutputAtIndex(0, ${this.last ? `sqrt(${total})` : total}); }
      }`;
  }
}

type Inputs = Record<string, tf.TensorInfo>;
const ordered = (inputs: Inputs) => Object.keys(inputs).sort((a, b) => Number(a) - Number(b)).map((k) => inputs[k]);

const onCpu = (name: 'wasm' | 'cpu'): tf.KernelFunc => ({ inputs, backend }) => {
  const mem = cpuMemory(name, backend);
  const out = mem.outputs([[]]); // before reading: the wasm heap may grow
  let sum = 0;
  for (const t of ordered(inputs as Inputs)) {
    const g = mem.read(t);
    for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  }
  out.values[0][0] = Math.sqrt(sum);
  return out.infos()[0];
};

const onWebGpu: tf.KernelFunc = ({ inputs, backend }) => {
  const grads = ordered(inputs as Inputs);
  const be = backend as unknown as WebGpuLike & { disposeData(id: object): void };
  let acc: tf.TensorInfo | null = null;
  for (let i = 0; i < grads.length; i += PER_DISPATCH) {
    const chunk = grads.slice(i, i + PER_DISPATCH);
    const last = i + PER_DISPATCH >= grads.length;
    const program = new SumSquaresProgram(chunk.length, acc !== null, last);
    const lens = chunk.map((g) => ({ type: 'int32' as const, data: [g.shape.reduce((a, b) => a * b, 1)] }));
    const next: tf.TensorInfo = be.runWebGPUProgram(program, acc ? [...chunk, acc] : chunk, 'float32', lens);
    if (acc) be.disposeData(acc.dataId);
    acc = next;
  }
  return { ...acc!, shape: [] };
};

const register = once(() => registerAll({ cpu: onCpu, webgpu: () => onWebGpu }, (k) => ({ [KERNEL]: k })));

/** sqrt(sum of squares of every value of every gradient), a scalar tensor, without a readback. */
export function globalNormKernel(grads: tf.Tensor[]): tf.Scalar {
  const backend = tf.getBackend();
  if (grads.length === 0 || !(backend === 'wasm' || backend === 'cpu' || backend === 'webgpu')) return globalNormOps(grads);
  register();
  const inputs = Object.fromEntries(grads.map((g, i) => [String(i), g]));
  return tf.engine().runKernel(KERNEL, inputs, {}) as tf.Scalar;
}
