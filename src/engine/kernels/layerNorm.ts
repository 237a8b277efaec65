/**
 * LayerNorm over the last axis as one kernel forward and one backward.
 *
 * As ops (ops.ts, `layerNormOps`) one LayerNorm cost ~26 kernels per training
 * step (its means, rsqrt, products, the tape's copies of saved tensors, the
 * gain and bias column sums); a `baby` step has nine. Here the forward is
 * `HeedLayerNorm` (x, gain, bias -> y), whose registered gradient saves only x
 * and the gain and recomputes the row statistics in `HeedLayerNormGrad`
 * (dy, x, gain -> dx, dgain, dbias), so nothing else is kept between the
 * passes. Rows are reduced in float64 on wasm and cpu, in float32 on WebGPU
 * (one thread per row, and per column for the gain and bias gradients).
 */
import * as tf from '@tensorflow/tfjs-core';
import { WgslProgram, cpuMemory, fusedBackend, once, registerAll, runWgsl } from './access.ts';

const FORWARD = 'HeedLayerNorm';
const BACKWARD = 'HeedLayerNormGrad';
export const LN_EPS = 1e-5;

type In = Record<string, tf.TensorInfo>;

/** Row statistics of x [rows, cols] at row r: mean and 1/sqrt(var + eps), in float64. */
function rowStats(x: Float32Array, r: number, cols: number): [number, number] {
  let mean = 0;
  for (let j = 0; j < cols; j++) mean += x[r * cols + j];
  mean /= cols;
  let v = 0;
  for (let j = 0; j < cols; j++) v += (x[r * cols + j] - mean) ** 2;
  return [mean, 1 / Math.sqrt(v / cols + LN_EPS)];
}

const forwardCpu = (name: 'wasm' | 'cpu'): tf.KernelFunc => ({ inputs, backend }) => {
  const { x, g, b } = inputs as In;
  const mem = cpuMemory(name, backend);
  const out = mem.outputs([x.shape]);
  const [xs, gs, bs, y] = [mem.read(x), mem.read(g), mem.read(b), out.values[0]];
  const cols = x.shape[1];
  for (let r = 0; r < x.shape[0]; r++) {
    const [mean, rstd] = rowStats(xs, r, cols);
    for (let j = 0; j < cols; j++) y[r * cols + j] = (xs[r * cols + j] - mean) * rstd * gs[j] + bs[j];
  }
  return out.infos()[0];
};

const backwardCpu = (name: 'wasm' | 'cpu'): tf.KernelFunc => ({ inputs, backend }) => {
  const { dy, x, g } = inputs as In;
  const mem = cpuMemory(name, backend);
  const [rows, cols] = x.shape;
  const out = mem.outputs([x.shape, [cols], [cols]]);
  const [dys, xs, gs] = [mem.read(dy), mem.read(x), mem.read(g)];
  const [dx, dg, db] = out.values;
  const dgSum = new Float64Array(cols);
  const dbSum = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const [mean, rstd] = rowStats(xs, r, cols);
    let meanD = 0; // mean of dxhat
    let meanDX = 0; // mean of dxhat * xhat
    for (let j = 0; j < cols; j++) {
      const i = r * cols + j;
      const xhat = (xs[i] - mean) * rstd;
      const d = dys[i] * gs[j];
      meanD += d;
      meanDX += d * xhat;
      dgSum[j] += dys[i] * xhat;
      dbSum[j] += dys[i];
    }
    meanD /= cols;
    meanDX /= cols;
    for (let j = 0; j < cols; j++) {
      const i = r * cols + j;
      dx[i] = rstd * (dys[i] * gs[j] - meanD - (xs[i] - mean) * rstd * meanDX);
    }
  }
  dg.set(dgSum);
  db.set(dbSum);
  return out.infos();
};

/** WGSL: statistics of row r of X (cols wide), as `mean` and `rstd`. */
const STATS = `
        var mean = 0.0;
        for (var j = 0; j < uniforms.cols; j++) { mean = mean + X[r * uniforms.cols + j]; }
        mean = mean / f32(uniforms.cols);
        var v = 0.0;
        for (var j = 0; j < uniforms.cols; j++) { let c = X[r * uniforms.cols + j] - mean; v = v + c * c; }
        let rstd = inverseSqrt(v / f32(uniforms.cols) + ${LN_EPS});`;

const forwardWebGpu: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, g, b } = inputs as In;
  const [rows, cols] = x.shape;
  const program = new WgslProgram(['X', 'G', 'B'], x.shape, rows, ['rows', 'cols'], 'heedLayerNorm', `
      fn main(index : i32) {
        let r = index;
        if (r >= uniforms.rows) { return; }${STATS}
        for (var j = 0; j < uniforms.cols; j++) {
          let i = r * uniforms.cols + j;
          setOutputAtIndex(i, (X[i] - mean) * rstd * G[j] + B[j]);
        }
      }`);
  return runWgsl(backend, program, [x, g, b], [rows, cols]);
};

const backwardWebGpu: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x, g } = inputs as In;
  const [rows, cols] = x.shape;
  const dx = new WgslProgram(['DY', 'X', 'G'], x.shape, rows, ['rows', 'cols'], 'heedLayerNormGradX', `
      fn main(index : i32) {
        let r = index;
        if (r >= uniforms.rows) { return; }${STATS}
        var meanD = 0.0;
        var meanDX = 0.0;
        for (var j = 0; j < uniforms.cols; j++) {
          let i = r * uniforms.cols + j;
          let d = DY[i] * G[j];
          meanD = meanD + d;
          meanDX = meanDX + d * (X[i] - mean) * rstd;
        }
        meanD = meanD / f32(uniforms.cols);
        meanDX = meanDX / f32(uniforms.cols);
        for (var j = 0; j < uniforms.cols; j++) {
          let i = r * uniforms.cols + j;
          setOutputAtIndex(i, rstd * (DY[i] * G[j] - meanD - (X[i] - mean) * rstd * meanDX));
        }
      }`);
  // Gain and bias gradients: one thread per column; `which` 0 sums dy * xhat, 1 sums dy. The bias
  // program binds only DY: an input the shader does not read leaves the pipeline's layout, and the bind group fails.
  const columns = (which: number) => new WgslProgram(which === 0 ? ['DY', 'X'] : ['DY'], [cols], cols, ['rows', 'cols'], `heedLayerNormGrad${which}`, `
      fn main(index : i32) {
        let c = index;
        if (c >= uniforms.cols) { return; }
        var s = 0.0;
        for (var r = 0; r < uniforms.rows; r++) {
          ${which === 0 ? STATS : ''}
          let i = r * uniforms.cols + c;
          s = s + DY[i]${which === 0 ? ' * (X[i] - mean) * rstd' : ''};
        }
        setOutputAtIndex(c, s);
      }`);
  return [runWgsl(backend, dx, [dy, x, g], [rows, cols]), runWgsl(backend, columns(0), [dy, x], [rows, cols]), runWgsl(backend, columns(1), [dy], [rows, cols])];
};

const register = once(() => {
  const cpu = (b: 'wasm' | 'cpu') => [forwardCpu(b), backwardCpu(b)];
  registerAll({ cpu, webgpu: () => [forwardWebGpu, backwardWebGpu] }, ([f, b]) => ({ [FORWARD]: f, [BACKWARD]: b }));
  tf.registerGradient({
    kernelName: FORWARD,
    inputsToSave: ['x', 'g'],
    gradFunc: (dy, saved) => {
      const [x, g] = saved;
      const [dx, dg, db] = tf.engine().runKernel(BACKWARD, { dy: dy as tf.Tensor, x, g }, {}) as tf.Tensor[];
      return { x: () => dx, g: () => dg, b: () => db };
    },
  });
});

/** The fused LayerNorm of x [N, C] with gain and bias [C], or null where it does not run (see fusedBackend). */
export function layerNormFused(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D | null {
  if (!fusedBackend() || x.rank !== 2) return null;
  register();
  return tf.engine().runKernel(FORWARD, { x, g, b }, {}) as tf.Tensor2D;
}
