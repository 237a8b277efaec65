/**
 * Token plus position embeddings as one kernel each way while training.
 *
 * As ops the input of the first block was a one-hot matMul (the gather kernel
 * has no gradient on wasm), a slice of the position table, two reshapes and
 * an add, ~18 kernels with the backward. `HeedEmbed` (ids [N] int32, wte
 * [V, C], wpe [P, C] -> [N, C], row n at position past + n mod T) reads the
 * rows directly; `HeedEmbedGrad` sums dy into both tables' gradients. Ids
 * outside the vocabulary embed as zeros, as a one-hot row of zeros did.
 * The forward is exact (one float32 add per value); the table gradients are
 * summed in float64 on wasm and cpu. On WebGPU the token gradient is one
 * thread per table value scanning every id, V*C*N steps: it runs only while
 * that is under 2^27 (Heed's character vocabularies), else the op composition does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WgslProgram, cpuMemory, fusedBackend, readInt, once, registerAll, runWgsl } from './access.ts';

const FORWARD = 'HeedEmbed';
const BACKWARD = 'HeedEmbedGrad';
const WEBGPU_MAX_STEPS = 2 ** 27;

type In = Record<string, tf.TensorInfo>;
interface Attrs {
  T: number;
  past: number;
  V: number; // table sizes, so the gradient needs only the ids saved
  P: number;
}

function cpuKernels(name: 'wasm' | 'cpu') {
  const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { ids, wte, wpe } = inputs as In;
    const { T, past } = attrs as unknown as Attrs;
    const [V, C] = wte.shape;
    const N = ids.shape[0];
    const mem = cpuMemory(name, backend);
    const out = mem.outputs([[N, C]]);
    const [id, te, pe, x] = [readInt(name, backend, ids), mem.read(wte), mem.read(wpe), out.values[0]];
    for (let n = 0; n < N; n++) {
      const p = (past + (n % T)) * C;
      const t = id[n] >= 0 && id[n] < V ? id[n] * C : -1;
      for (let c = 0; c < C; c++) x[n * C + c] = (t >= 0 ? te[t + c] : 0) + pe[p + c];
    }
    return out.infos()[0];
  };
  const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, ids } = inputs as In;
    const { T, past, V, P } = attrs as unknown as Attrs;
    const [N, C] = dy.shape;
    const mem = cpuMemory(name, backend);
    const out = mem.outputs([[V, C], [P, C]]);
    const [g, id] = [mem.read(dy), readInt(name, backend, ids)];
    const dte = new Float64Array(V * C);
    const dpe = new Float64Array(P * C);
    for (let n = 0; n < N; n++) {
      const p = (past + (n % T)) * C;
      const t = id[n] >= 0 && id[n] < V ? id[n] * C : -1;
      for (let c = 0; c < C; c++) {
        if (t >= 0) dte[t + c] += g[n * C + c];
        dpe[p + c] += g[n * C + c];
      }
    }
    out.values[0].set(dte);
    out.values[1].set(dpe);
    return out.infos();
  };
  return { forward, backward };
}

function webGpuKernels() {
  const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { ids, wte, wpe } = inputs as In;
    const { T, past } = attrs as unknown as Attrs;
    const [V, C] = wte.shape;
    const N = ids.shape[0];
    const prog = new WgslProgram(['IDS', 'TE', 'PE'], [N, C], N * C, ['n', 'C', 'V', 'T', 'past'], 'heedEmbed', `
      fn main(index : i32) {
        for (var i = index; i < uniforms.n; i = i + i32(numWorkgroups.x) * 64) {
          let row = i / uniforms.C;
          let c = i % uniforms.C;
          let t = i32(IDS[row]);
          let tok = select(0.0, TE[t * uniforms.C + c], t >= 0 && t < uniforms.V);
          setOutputAtIndex(i, tok + PE[(uniforms.past + row % uniforms.T) * uniforms.C + c]);
        }
      }`);
    return runWgsl(backend, prog, [ids, wte, wpe], [N * C, C, V, T, past]);
  };
  const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, ids } = inputs as In;
    const { T, past, V, P } = attrs as unknown as Attrs;
    const [N, C] = dy.shape;
    // One thread per table value: the token table scans every id; the position table every row at its position.
    const tok = new WgslProgram(['DY', 'IDS'], [V, C], V * C, ['n', 'C', 'rows'], 'heedEmbedGradTok', `
      fn main(index : i32) {
        for (var i = index; i < uniforms.n; i = i + i32(numWorkgroups.x) * 64) {
          let v = i / uniforms.C;
          let c = i % uniforms.C;
          var s = 0.0;
          for (var r = 0; r < uniforms.rows; r++) { if (i32(IDS[r]) == v) { s = s + DY[r * uniforms.C + c]; } }
          setOutputAtIndex(i, s);
        }
      }`);
    const pos = new WgslProgram(['DY'], [P, C], P * C, ['n', 'C', 'rows', 'T', 'past'], 'heedEmbedGradPos', `
      fn main(index : i32) {
        for (var i = index; i < uniforms.n; i = i + i32(numWorkgroups.x) * 64) {
          let p = i / uniforms.C - uniforms.past;
          let c = i % uniforms.C;
          var s = 0.0;
          if (p >= 0 && p < uniforms.T) {
            for (var r = p; r < uniforms.rows; r = r + uniforms.T) { s = s + DY[r * uniforms.C + c]; }
          }
          setOutputAtIndex(i, s);
        }
      }`);
    return [runWgsl(backend, tok, [dy, ids], [V * C, C, N]), runWgsl(backend, pos, [dy], [P * C, C, N, T, past])];
  };
  return { forward, backward };
}

const register = once(() => {
  registerAll({ cpu: cpuKernels, webgpu: webGpuKernels }, (k) => ({ [FORWARD]: k.forward, [BACKWARD]: k.backward }));
  tf.registerGradient({
    kernelName: FORWARD,
    inputsToSave: ['ids'],
    gradFunc: (dy, saved, attrs) => {
      const [dte, dpe] = tf.engine().runKernel(BACKWARD, { dy: dy as tf.Tensor, ids: saved[0] }, attrs as tf.NamedAttrMap) as tf.Tensor[];
      return { wte: () => dte, wpe: () => dpe };
    },
  });
});

/**
 * wte[ids[n]] + wpe[past + n mod T] for ids [N] (N = B*T): [N, C] in one
 * kernel, or null where it does not run (see fusedBackend).
 */
export function embedFused(ids: tf.Tensor1D, wte: tf.Tensor2D, wpe: tf.Tensor2D, T: number, past: number): tf.Tensor2D | null {
  const backend = fusedBackend();
  if (!backend || ids.dtype !== 'int32') return null;
  if (backend === 'webgpu' && wte.size * ids.size > WEBGPU_MAX_STEPS) return null;
  register();
  return tf.engine().runKernel(FORWARD, { ids, wte, wpe }, { T, past, V: wte.shape[0], P: wpe.shape[0] }) as tf.Tensor2D;
}
