/**
 * The two softmaxes of a training step as one kernel each way.
 *
 * - Attention: `HeedCausalSoftmax` turns raw scores q k^T [B*nh, T, S] into
 *   softmax(scale * scores) over the keys each query may see (key j <= past
 *   + i; the others are exactly 0, as the additive -1e9 mask made them). As
 *   ops it was a Mul, the mask's Add and a Softmax, with the tape's copies
 *   and five more kernels backward. Its gradient saves only the output.
 * - The loss: `HeedTokenLogProbs` is log softmax(logits)[target] per row
 *   [N, V] -> [N]; as ops a LogSoftmax, OneHot, Cast, Mul and Sum, with ~25
 *   kernels including the backward. The gradient is dy * (onehot - softmax).
 *
 * Rows are reduced in float64 on cpu and in the log-probabilities on wasm,
 * in float32 on WebGPU (one thread per row) and in the attention softmax on
 * wasm, which is SIMD code there (simd.wat): an exp per score in JavaScript
 * lost to the op composition's SIMD passes (best of 15, [48, 64, 64] forward
 * and backward: 3.7 ms against 1.6-2.4 ms), so wasm runs the op composition
 * where the module cannot run (no SIMD, rows not a multiple of 4 wide). The
 * log-probabilities, 64x fewer exps per step, are JavaScript on wasm too
 * (1.8 against 1.3 ms, for ~23 fewer kernels). Like the other fused kernels
 * these run only while training (see access.ts, fusedBackend).
 */
import * as tf from '@tensorflow/tfjs-core';
import { WgslProgram, cpuMemory, fusedBackend, readInt, once, registerAll, runWgsl } from './access.ts';
import { type WasmHeap, heapOffset, simdKernels } from './wasmSimd.ts';

const CAUSAL = 'HeedCausalSoftmax';
const CAUSAL_GRAD = 'HeedCausalSoftmaxGrad';
const LOGPROBS = 'HeedTokenLogProbs';
const LOGPROBS_GRAD = 'HeedTokenLogProbsGrad';

type In = Record<string, tf.TensorInfo>;
interface CausalAttrs {
  scale: number;
  past: number;
}

/** Softmax of row r (width S) of x scaled by `scale` over its first `n` entries, into out (the rest 0). */
function softmaxRow(x: Float32Array, out: Float32Array, r: number, S: number, n: number, scale: number): void {
  const o = r * S;
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, x[o + j] * scale);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const e = Math.exp(x[o + j] * scale - max);
    out[o + j] = e;
    sum += e;
  }
  for (let j = 0; j < n; j++) out[o + j] /= sum; // e was rounded to float32 when stored: within the 2e-6 the tests allow
  for (let j = n; j < S; j++) out[o + j] = 0;
}

function cpuKernels(name: 'wasm' | 'cpu') {
  const causal: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x } = inputs as In;
    const { scale, past } = attrs as unknown as CausalAttrs;
    const [BH, T, S] = x.shape;
    const mem = cpuMemory(name, backend);
    const out = mem.outputs([x.shape]);
    const xs = mem.read(x);
    for (let r = 0; r < BH * T; r++) softmaxRow(xs, out.values[0], r, S, Math.min(S, past + (r % T) + 1), scale);
    return out.infos()[0];
  };
  const causalGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, y } = inputs as In;
    const { scale } = attrs as unknown as CausalAttrs;
    const S = y.shape[2];
    const mem = cpuMemory(name, backend);
    const out = mem.outputs([y.shape]);
    const [dys, ys, dx] = [mem.read(dy), mem.read(y), out.values[0]];
    for (let o = 0; o < ys.length; o += S) {
      let dot = 0;
      for (let j = 0; j < S; j++) dot += dys[o + j] * ys[o + j];
      for (let j = 0; j < S; j++) dx[o + j] = scale * ys[o + j] * (dys[o + j] - dot);
    }
    return out.infos()[0];
  };
  const logProbs: tf.KernelFunc = ({ inputs, backend }) => {
    const { logits, targets } = inputs as In;
    const [N, V] = logits.shape;
    const mem = cpuMemory(name, backend);
    const out = mem.outputs([[N]]);
    const [x, t] = [mem.read(logits), readInt(name, backend, targets)];
    for (let r = 0; r < N; r++) {
      let max = -Infinity;
      for (let j = 0; j < V; j++) max = Math.max(max, x[r * V + j]);
      let sum = 0;
      for (let j = 0; j < V; j++) sum += Math.exp(x[r * V + j] - max);
      out.values[0][r] = t[r] >= 0 && t[r] < V ? x[r * V + t[r]] - max - Math.log(sum) : 0; // no such token: 0, as a one-hot row of zeros gave
    }
    return out.infos()[0];
  };
  const logProbsGrad: tf.KernelFunc = ({ inputs, backend }) => {
    const { dy, logits, targets } = inputs as In;
    const [N, V] = logits.shape;
    const mem = cpuMemory(name, backend);
    const out = mem.outputs([logits.shape]);
    const [dys, x, t, dx] = [mem.read(dy), mem.read(logits), readInt(name, backend, targets), out.values[0]];
    softmaxRows(x, dx, N, V);
    for (let r = 0; r < N; r++) {
      const valid = t[r] >= 0 && t[r] < V ? 1 : 0;
      for (let j = 0; j < V; j++) dx[r * V + j] = valid * dys[r] * ((j === t[r] ? 1 : 0) - dx[r * V + j]);
    }
    return out.infos()[0];
  };
  return { causal, causalGrad, logProbs, logProbsGrad };
}

/** The attention softmax on wasm: simd.wat's loops over the backend's heap. */
const causalWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as In;
  const { scale, past } = attrs as unknown as CausalAttrs;
  const [BH, T, S] = x.shape;
  const out = (backend as unknown as WasmHeap).makeOutput(x.shape, 'float32');
  simdKernels(backend)!.causalSoftmax(heapOffset(backend, x), heapOffset(backend, out), BH * T, T, S, past, scale);
  return out;
};

const causalGradWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, y } = inputs as In;
  const { scale } = attrs as unknown as CausalAttrs;
  const [BH, T, S] = y.shape;
  const out = (backend as unknown as WasmHeap).makeOutput(y.shape, 'float32');
  simdKernels(backend)!.causalSoftmaxGrad(heapOffset(backend, dy), heapOffset(backend, y), heapOffset(backend, out), BH * T, S, scale);
  return out;
};

function softmaxRows(x: Float32Array, out: Float32Array, N: number, V: number): void {
  for (let r = 0; r < N; r++) softmaxRow(x, out, r, V, V, 1);
}

/** WGSL softmax statistics of row r (width uniforms.S) over its first n entries: `max` and `sum`. */
const STATS = (scale: string) => `
        var mx = -3.4e38;
        for (var j = 0; j < n; j++) { mx = max(mx, X[o + j] * ${scale}); }
        var sum = 0.0;
        for (var j = 0; j < n; j++) { sum = sum + exp(X[o + j] * ${scale} - mx); }`;

function webGpuKernels() {
  const causal: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x } = inputs as In;
    const { scale, past } = attrs as unknown as CausalAttrs;
    const [BH, T, S] = x.shape;
    const prog = new WgslProgram(['X'], x.shape, BH * T, ['rows', 'T', 'S', 'past'], 'heedCausalSoftmax', `
      fn main(index : i32) {
        let r = index;
        if (r >= uniforms.rows) { return; }
        let o = r * uniforms.S;
        let n = min(uniforms.S, uniforms.past + r % uniforms.T + 1);
        let scale = bitcast<f32>(${floatBits(scale)}u);${STATS('scale')}
        for (var j = 0; j < uniforms.S; j++) {
          setOutputAtIndex(o + j, select(0.0, exp(X[o + j] * scale - mx) / sum, j < n));
        }
      }`);
    return runWgsl(backend, prog, [x], [BH * T, T, S, past]);
  };
  const causalGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, y } = inputs as In;
    const { scale } = attrs as unknown as CausalAttrs;
    const [BH, T, S] = y.shape;
    const prog = new WgslProgram(['DY', 'Y'], y.shape, BH * T, ['rows', 'S'], 'heedCausalSoftmaxGrad', `
      fn main(index : i32) {
        let r = index;
        if (r >= uniforms.rows) { return; }
        let o = r * uniforms.S;
        let scale = bitcast<f32>(${floatBits(scale)}u);
        var dot = 0.0;
        for (var j = 0; j < uniforms.S; j++) { dot = dot + DY[o + j] * Y[o + j]; }
        for (var j = 0; j < uniforms.S; j++) { setOutputAtIndex(o + j, scale * Y[o + j] * (DY[o + j] - dot)); }
      }`);
    return runWgsl(backend, prog, [dy, y], [BH * T, S]);
  };
  /** One thread per row r of logits X [N, V] (offset o), with the row's softmax statistics and target t at hand. */
  const logitRows = (names: string[], shape: number[], key: string, body: string) =>
    new WgslProgram(names, shape, shape[0], ['rows', 'S'], key, `
      fn main(index : i32) {
        let r = index;
        if (r >= uniforms.rows) { return; }
        let o = r * uniforms.S;
        let n = uniforms.S;${STATS('1.0')}
        let t = i32(TGT[r]);
        ${body}
      }`);
  const logProbs: tf.KernelFunc = ({ inputs, backend }) => {
    const { logits, targets } = inputs as In;
    const [N, V] = logits.shape;
    const prog = logitRows(['X', 'TGT'], [N], 'heedTokenLogProbs', 'setOutputAtIndex(r, select(0.0, X[o + t] - mx - log(sum), t >= 0 && t < n));');
    return runWgsl(backend, prog, [logits, targets], [N, V]);
  };
  const logProbsGrad: tf.KernelFunc = ({ inputs, backend }) => {
    const { dy, logits, targets } = inputs as In;
    const [N, V] = logits.shape;
    const prog = logitRows(['DY', 'X', 'TGT'], logits.shape, 'heedTokenLogProbsGrad', `for (var j = 0; j < n; j++) {
          setOutputAtIndex(o + j, select(0.0, DY[r] * (select(0.0, 1.0, j == t) - exp(X[o + j] - mx) / sum), t >= 0 && t < n));
        }`);
    return runWgsl(backend, prog, [dy, logits, targets], [N, V]);
  };
  return { causal, causalGrad, logProbs, logProbsGrad };
}

/** A float's bits, so the shader uses exactly the float32 of a JS number (no decimal round trip). */
function floatBits(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0];
}

const register = once(() => {
  registerAll({ cpu: cpuKernels, webgpu: webGpuKernels }, (k, b) => {
    const onWasm = b === 'wasm'; // the attention softmax is SIMD code there (see above)
    return { [CAUSAL]: onWasm ? causalWasm : k.causal, [CAUSAL_GRAD]: onWasm ? causalGradWasm : k.causalGrad, [LOGPROBS]: k.logProbs, [LOGPROBS_GRAD]: k.logProbsGrad };
  });
  tf.registerGradient({
    kernelName: CAUSAL,
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => ({ x: () => tf.engine().runKernel(CAUSAL_GRAD, { dy: dy as tf.Tensor, y: saved[0] }, attrs as tf.NamedAttrMap) as tf.Tensor }),
  });
  tf.registerGradient({
    kernelName: LOGPROBS,
    inputsToSave: ['logits', 'targets'],
    gradFunc: (dy, saved) => ({
      logits: () => tf.engine().runKernel(LOGPROBS_GRAD, { dy: dy as tf.Tensor, logits: saved[0], targets: saved[1] }, {}) as tf.Tensor,
    }),
  });
});

/**
 * softmax(scale * scores) over the keys each query may see (key j <= past + i),
 * scores [B*nh, T, S]; null where it does not run (see fusedBackend).
 */
export function causalSoftmax(scores: tf.Tensor3D, scale: number, past: number): tf.Tensor3D | null {
  const backend = fusedBackend();
  if (!backend) return null;
  if (backend === 'wasm' && (scores.shape[2] % 4 !== 0 || !simdKernels(tf.backend()))) return null;
  register();
  return tf.engine().runKernel(CAUSAL, { x: scores }, { scale, past }) as tf.Tensor3D;
}

/** log softmax(logits)[target] per row, [N]; null where it does not run (see fusedBackend). */
export function tokenLogProbsFused(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D | null {
  if (!fusedBackend() || targets.dtype !== 'int32') return null;
  register();
  return tf.engine().runKernel(LOGPROBS, { logits, targets }, {}) as tf.Tensor1D;
}
