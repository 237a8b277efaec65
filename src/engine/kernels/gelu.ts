/**
 * Exact (erf) GELU as one kernel forward (`HeedGelu`) and one backward
 * (`HeedGeluGrad`, saving only x).
 *
 * As ops (ops.ts, `geluOps`) it was ~15 kernels per MLP per training step.
 * erf is the Abramowitz-Stegun 7.1.26 polynomial (|error| < 1.5e-7), the
 * approximation TF.js's own Erf kernels use, in float64 on cpu, in float32
 * on WebGPU (WGSL has no erf) and on wasm. On wasm the loops are SIMD
 * WebAssembly (simd.wat, with its own exp): a JavaScript loop with an exp per
 * value lost there to the op composition's SIMD passes (20.7 ms against
 * 11.3 ms on a `baby` MLP's [768, 512], forward and backward); the SIMD
 * kernels win (3.1 ms against 6.4 ms, docs/experiments.md). Where the module
 * cannot run (no SIMD, a size not a multiple of 4) wasm runs the op composition.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WgslProgram, cpuMemory, fusedBackend, once, registerAll, runWgsl, sizeOf } from './access.ts';
import { type WasmHeap, heapOffset, simdKernels } from './wasmSimd.ts';

const FORWARD = 'HeedGelu';
const BACKWARD = 'HeedGeluGrad';
const [P, A1, A2, A3, A4, A5] = [0.3275911, 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erf(x) given exp(-x^2) (the gradient needs that exponential too, and exp is the costly part). */
function erfWith(x: number, expMinusSquare: number): number {
  const t = 1 / (1 + P * Math.abs(x));
  const e = 1 - t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5)))) * expMinusSquare;
  return x < 0 ? -e : e;
}

type In = Record<string, tf.TensorInfo>;

const forwardCpu = (name: 'wasm' | 'cpu'): tf.KernelFunc => ({ inputs, backend }) => {
  const { x } = inputs as In;
  const mem = cpuMemory(name, backend);
  const out = mem.outputs([x.shape]);
  const [xs, y] = [mem.read(x), out.values[0]];
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    y[i] = v * 0.5 * (1 + erfWith(v * Math.SQRT1_2, Math.exp(-0.5 * v * v)));
  }
  return out.infos()[0];
};

const backwardCpu = (name: 'wasm' | 'cpu'): tf.KernelFunc => ({ inputs, backend }) => {
  const { dy, x } = inputs as In;
  const mem = cpuMemory(name, backend);
  const out = mem.outputs([x.shape]);
  const [dys, xs, dx] = [mem.read(dy), mem.read(x), out.values[0]];
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    const e = Math.exp(-0.5 * v * v); // exp(-(v/sqrt2)^2) for erf, and sqrt(2 pi) times the density
    dx[i] = dys[i] * (0.5 * (1 + erfWith(v * Math.SQRT1_2, e)) + v * e * INV_SQRT_2PI);
  }
  return out.infos()[0];
};

/** On wasm: simd.wat's loops over the backend's heap. */
const forwardWasm: tf.KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as In;
  const out = (backend as unknown as WasmHeap).makeOutput(x.shape, 'float32');
  simdKernels(backend)!.gelu(heapOffset(backend, x), heapOffset(backend, out), sizeOf(x.shape));
  return out;
};

const backwardWasm: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as In;
  const out = (backend as unknown as WasmHeap).makeOutput(x.shape, 'float32');
  simdKernels(backend)!.geluGrad(heapOffset(backend, dy), heapOffset(backend, x), heapOffset(backend, out), sizeOf(x.shape));
  return out;
};

const WGSL_ERF = `
      fn heedErf(x : f32) -> f32 {
        let a = abs(x);
        let t = 1.0 / (1.0 + ${P} * a);
        let e = 1.0 - t * (${A1} + t * (${A2} + t * (${A3} + t * (${A4} + t * ${A5})))) * exp(-a * a);
        return select(e, -e, x < 0.0);
      }`;

/** An elementwise WGSL program over n values: `expr` of `v` (= X[i]) and, when `dy`, DY[i]. */
function elementwise(key: string, names: string[], shape: number[], expr: string): WgslProgram {
  return new WgslProgram(names, shape, sizeOf(shape), ['n'], key, `${WGSL_ERF}
      fn main(index : i32) {
        for (var i = index; i < uniforms.n; i = i + i32(numWorkgroups.x) * 64) {
          let v = X[i];
          setOutputAtIndex(i, ${expr});
        }
      }`);
}

const forwardWebGpu: tf.KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as In;
  return runWgsl(backend, elementwise('heedGelu', ['X'], x.shape, `v * 0.5 * (1.0 + heedErf(v * ${Math.SQRT1_2}))`), [x], [sizeOf(x.shape)]);
};

const backwardWebGpu: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as In;
  const expr = `DY[i] * (0.5 * (1.0 + heedErf(v * ${Math.SQRT1_2})) + v * exp(-0.5 * v * v) * ${INV_SQRT_2PI})`;
  return runWgsl(backend, elementwise('heedGeluGrad', ['DY', 'X'], x.shape, expr), [dy, x], [sizeOf(x.shape)]);
};

const register = once(() => {
  const cpu = (b: 'wasm' | 'cpu') => (b === 'wasm' ? [forwardWasm, backwardWasm] : [forwardCpu(b), backwardCpu(b)]);
  registerAll({ cpu, webgpu: () => [forwardWebGpu, backwardWebGpu] }, ([f, g]) => ({ [FORWARD]: f, [BACKWARD]: g }));
  tf.registerGradient({
    kernelName: FORWARD,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.engine().runKernel(BACKWARD, { dy: dy as tf.Tensor, x: saved[0] }, {}) as tf.Tensor }),
  });
});

/** The fused GELU of x, or null where it does not run (see fusedBackend). */
export function geluFused(x: tf.Tensor): tf.Tensor | null {
  const backend = fusedBackend();
  if (!backend || x.dtype !== 'float32') return null;
  if (backend === 'wasm' && (x.size % 4 !== 0 || !simdKernels(tf.backend()))) return null;
  register();
  return tf.engine().runKernel(FORWARD, { x }, {}) as tf.Tensor;
}
