/**
 * Attention's head split and merge as one kernel each way.
 *
 * As ops, going from the fused q|k|v projection [B*T, 3C] to per-head
 * q, k^T, v [B*nh, T, hs] was a SplitV, three reshape-transpose-reshapes and
 * a transpose for k^T, and merging the heads back another three; with their
 * gradients, ~30 kernels per layer per training step. `HeedSplitHeads` writes
 * q, k^T (already transposed for the scores' matMul) and v in one kernel;
 * its gradient `HeedJoinHeads` writes them back into one [B*T, 3C] tensor.
 * `HeedMergeHeads` and `HeedUnmergeHeads` are the [B*nh, T, hs] <-> [B*T, C]
 * pair for the attention's output. They only move values, so they are exact
 * and run in inference too.
 *
 * Layouts, with b < B, t < T, h < nh, d < hs and C = nh * hs:
 *   rows (part p of q|k|v, width W = 3C or C): (b*T + t)*W + p*C + h*hs + d
 *   heads (q, v, y): ((b*nh + h)*T + t)*hs + d;  transposed (k^T): ((b*nh + h)*hs + d)*T + t
 */
import * as tf from '@tensorflow/tfjs-core';
import { WgslProgram, cpuMemory, once, registerAll, runWgsl } from './access.ts';

const SPLIT = 'HeedSplitHeads';
const JOIN = 'HeedJoinHeads';
const MERGE = 'HeedMergeHeads';
const UNMERGE = 'HeedUnmergeHeads';

interface Dims {
  B: number;
  T: number;
  nh: number;
  hs: number;
}

/**
 * Copy part p of a rows tensor (`parts` parts of C each per row) to or from
 * heads layout. Runs of hs values are contiguous on both sides unless the
 * heads side is transposed, so those are one `set` each.
 */
function shuffle(dm: Dims, parts: number, p: number, transposed: boolean, rows: Float32Array, heads: Float32Array, toHeads: boolean): void {
  const { B, T, nh, hs } = dm;
  const C = nh * hs;
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let h = 0; h < nh; h++) {
        const row = (b * T + t) * parts * C + p * C + h * hs;
        if (transposed) {
          const head = (b * nh + h) * hs * T + t; // + d*T
          if (toHeads) for (let d = 0; d < hs; d++) heads[head + d * T] = rows[row + d];
          else for (let d = 0; d < hs; d++) rows[row + d] = heads[head + d * T];
        } else {
          const head = ((b * nh + h) * T + t) * hs;
          if (toHeads) heads.set(rows.subarray(row, row + hs), head);
          else rows.set(heads.subarray(head, head + hs), row);
        }
      }
}

const PARTS = [
  { transposed: false }, // q
  { transposed: true }, // k^T
  { transposed: false }, // v
];

type In = Record<string, tf.TensorInfo>;

const headShape = (dm: Dims, transposed: boolean) => (transposed ? [dm.B * dm.nh, dm.hs, dm.T] : [dm.B * dm.nh, dm.T, dm.hs]);

function cpuKernels(name: 'wasm' | 'cpu') {
  const split: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const dm = attrs as unknown as Dims;
    const mem = cpuMemory(name, backend);
    const out = mem.outputs(PARTS.map((q) => headShape(dm, q.transposed)));
    const x = mem.read((inputs as In).x);
    PARTS.forEach((q, p) => shuffle(dm, 3, p, q.transposed, x, out.values[p], true));
    return out.infos();
  };
  const join: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const dm = attrs as unknown as Dims;
    const mem = cpuMemory(name, backend);
    const out = mem.outputs([[dm.B * dm.T, 3 * dm.nh * dm.hs]]);
    const xs = ['q', 'k', 'v'].map((k) => mem.read((inputs as In)[k]));
    PARTS.forEach((q, p) => shuffle(dm, 3, p, q.transposed, out.values[0], xs[p], false));
    return out.infos()[0];
  };
  const merge = (toRows: boolean): tf.KernelFunc => ({ inputs, backend, attrs }) => {
    const dm = attrs as unknown as Dims;
    const mem = cpuMemory(name, backend);
    const out = mem.outputs([toRows ? [dm.B * dm.T, dm.nh * dm.hs] : headShape(dm, false)]);
    const [x, y] = [mem.read((inputs as In).x), out.values[0]];
    if (toRows) shuffle(dm, 1, 0, false, y, x, false);
    else shuffle(dm, 1, 0, false, x, y, true);
    return out.infos()[0];
  };
  return { split, join, merge: merge(true), unmerge: merge(false) };
}

/**
 * WGSL: coordinates of output index i, then the source index. `decode` names
 * b, t, h, d from i in the output's layout; `source` is the input's index.
 */
const rowIndex = (parts: number, p: string) => `(b * uniforms.T + t) * ${parts} * uniforms.C + ${p} * uniforms.C + h * uniforms.hs + d`;
const headIndex = (transposed: boolean) => (transposed ? '((b * uniforms.nh + h) * uniforms.hs + d) * uniforms.T + t' : '((b * uniforms.nh + h) * uniforms.T + t) * uniforms.hs + d');
const decodeHead = (transposed: boolean) => transposed
  ? 'let t = i % uniforms.T; let d = (i / uniforms.T) % uniforms.hs; let h = (i / (uniforms.T * uniforms.hs)) % uniforms.nh; let b = i / (uniforms.T * uniforms.hs * uniforms.nh);'
  : 'let d = i % uniforms.hs; let t = (i / uniforms.hs) % uniforms.T; let h = (i / (uniforms.hs * uniforms.T)) % uniforms.nh; let b = i / (uniforms.hs * uniforms.T * uniforms.nh);';
/** Decode a rows-layout index of width parts*C: b, t, the part p, h, d. */
const decodeRow = (parts: number) => `let w = ${parts} * uniforms.C; let b = i / (w * uniforms.T); let t = (i / w) % uniforms.T; let c = i % w; let p = c / uniforms.C; let h = (c % uniforms.C) / uniforms.hs; let d = c % uniforms.hs;`;

const UNIFORMS = ['n', 'T', 'nh', 'hs', 'C'];
const program = (names: string[], shape: number[], key: string, decode: string, value: string) =>
  new WgslProgram(names, shape, shape.reduce((a, b) => a * b, 1), UNIFORMS, key, `
      fn main(index : i32) {
        for (var i = index; i < uniforms.n; i = i + i32(numWorkgroups.x) * 64) {
          ${decode}
          setOutputAtIndex(i, ${value});
        }
      }`);

function webGpuKernels() {
  const ints = (dm: Dims, shape: number[]) => [shape.reduce((a, b) => a * b, 1), dm.T, dm.nh, dm.hs, dm.nh * dm.hs];
  const split: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const dm = attrs as unknown as Dims;
    return PARTS.map((q, p) => {
      const shape = headShape(dm, q.transposed);
      const prog = program(['X'], shape, `heedSplitHeads${p}`, decodeHead(q.transposed), `X[${rowIndex(3, String(p))}]`);
      return runWgsl(backend, prog, [(inputs as In).x], ints(dm, shape));
    });
  };
  const join: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const dm = attrs as unknown as Dims;
    const { q, k, v } = inputs as In;
    const shape = [dm.B * dm.T, 3 * dm.nh * dm.hs];
    const value = `select(select(V[${headIndex(false)}], K[${headIndex(true)}], p == 1), Q[${headIndex(false)}], p == 0)`;
    return runWgsl(backend, program(['Q', 'K', 'V'], shape, 'heedJoinHeads', decodeRow(3), value), [q, k, v], ints(dm, shape));
  };
  const merge = (toRows: boolean): tf.KernelFunc => ({ inputs, backend, attrs }) => {
    const dm = attrs as unknown as Dims;
    const shape = toRows ? [dm.B * dm.T, dm.nh * dm.hs] : headShape(dm, false);
    const prog = toRows
      ? program(['X'], shape, 'heedMergeHeads', decodeRow(1), `X[${headIndex(false)}]`)
      : program(['X'], shape, 'heedUnmergeHeads', decodeHead(false), `X[${rowIndex(1, '0')}]`);
    return runWgsl(backend, prog, [(inputs as In).x], ints(dm, shape));
  };
  return { split, join, merge: merge(true), unmerge: merge(false) };
}

const register = once(() => {
  registerAll({ cpu: cpuKernels, webgpu: webGpuKernels }, (k) => ({ [SPLIT]: k.split, [JOIN]: k.join, [MERGE]: k.merge, [UNMERGE]: k.unmerge }));
  tf.registerGradient({
    kernelName: SPLIT,
    gradFunc: (dys, _saved, attrs) => {
      const [q, k, v] = dys as tf.Tensor[];
      return { x: () => tf.engine().runKernel(JOIN, { q, k, v }, attrs as tf.NamedAttrMap) as tf.Tensor };
    },
  });
  tf.registerGradient({
    kernelName: MERGE,
    gradFunc: (dy, _saved, attrs) => ({ x: () => tf.engine().runKernel(UNMERGE, { x: dy as tf.Tensor }, attrs as tf.NamedAttrMap) as tf.Tensor }),
  });
});

const runs = () => ['wasm', 'cpu', 'webgpu'].includes(tf.getBackend());

/** qkv [B*T, 3C] -> q [B*nh, T, hs], k^T [B*nh, hs, T], v [B*nh, T, hs] in one kernel; null where it does not run. */
export function splitHeads(qkv: tf.Tensor2D, B: number, T: number, nh: number): [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D] | null {
  if (!runs()) return null;
  register();
  const attrs = { B, T, nh, hs: qkv.shape[1] / 3 / nh };
  return tf.engine().runKernel(SPLIT, { x: qkv }, attrs) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
}

/** y [B*nh, T, hs] -> [B*T, C] in one kernel; null where it does not run. */
export function mergeHeads(y: tf.Tensor3D, B: number, T: number, nh: number): tf.Tensor2D | null {
  if (!runs()) return null;
  register();
  return tf.engine().runKernel(MERGE, { x: y }, { B, T, nh, hs: y.shape[2] }) as tf.Tensor2D;
}
