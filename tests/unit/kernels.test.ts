/**
 * Heed's fused kernels against the TF.js op compositions they replace, on
 * every backend they run on (WebGPU too when DAWN_NODE is set).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { globalNormKernel, globalNormOps } from '../../src/engine/kernels/globalNorm.ts';
import { mergeHeads, splitHeads } from '../../src/engine/kernels/heads.ts';
import { causalSoftmax } from '../../src/engine/kernels/softmax.ts';
import { batchMatMul } from '../../src/engine/kernels/bmm.ts';
import { residualAdd } from '../../src/engine/kernels/residual.ts';
import { embedFused } from '../../src/engine/kernels/embed.ts';
import { dense, denseOps, embed, gelu, geluOps, layerNorm, layerNormOps, tokenLogProbs, tokenLogProbsOps } from '../../src/engine/ops.ts';
import { KERNEL_BACKENDS, useBackend, values } from './helpers.ts';

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: the global norm is one kernel and equals the op composition (13 gradients: three WebGPU chunks)`, async () => {
    await useBackend(backend);
    const shapes = [[70, 128], [64, 128], [128], [128], [128, 384], [384], [128, 128], [128], [128], [128], [128, 512], [512], [3]];
    const grads = shapes.map((s, i) => tf.randomNormal(s, 0, 0.1 * (i + 1), 'float32', i));
    const profile = await tf.profile(() => globalNormKernel(grads));
    expect(profile.kernels.map((k) => k.name)).toEqual(['HeedGlobalNorm']);
    const fused = globalNormKernel(grads);
    const ops = globalNormOps(grads);
    expect(fused.shape).toEqual([]);
    const [a, b] = [(await values(fused))[0], (await values(ops))[0]];
    expect(a).toBeGreaterThan(1);
    expect(Math.abs(a - b) / b).toBeLessThan(1e-5);
    const single = globalNormKernel([tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])]);
    expect((await values(single))[0]).toBeCloseTo(5, 5);
    tf.dispose([...grads, fused, ops, single, profile.result as tf.Tensor]);
  });
}

/** Value and gradients of sum(f(...xs) * w) (w fixed and random, so every output's gradient differs), as arrays. */
async function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]) {
  const out = tf.tidy(() => {
    let y: tf.Tensor | undefined; // the forward under the tape (where the fused kernels run)
    const { value, grads } = tf.valueAndGrads((...a: tf.Tensor[]) => {
      y = tf.keep(f(...a));
      return tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, 'float32', 99)));
    })(xs);
    return [y!, value, ...grads];
  });
  const arrays = await Promise.all(out.map((t) => t.data()));
  tf.dispose(out);
  return arrays;
}

/** Largest difference relative to the reference's largest magnitude. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let m = 1e-30;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

/** Kernel names one forward-and-backward pass of f launches. */
async function kernelNames(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): Promise<string[]> {
  const info = await tf.profile(() => tf.tidy(() => void tf.grads((...a: tf.Tensor[]) => tf.sum(f(...a)))(xs)));
  return info.kernels.map((k) => k.name);
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: fused LayerNorm equals the op composition in value and gradients, in one kernel each way`, async () => {
    await useBackend(backend);
    const x = tf.add(tf.mul(tf.randomNormal([48, 40], 0, 1, 'float32', 1), 3), 0.5);
    const g = tf.randomNormal([40], 1, 0.3, 'float32', 2);
    const b = tf.randomNormal([40], 0, 0.3, 'float32', 3);
    const fused = await valueAndGrads((...a) => layerNorm(a[0] as tf.Tensor2D, a[1], a[2]), [x, g, b]);
    const ops = await valueAndGrads((...a) => layerNormOps(a[0] as tf.Tensor2D, a[1], a[2]), [x, g, b]);
    // [y, loss, dx, dg, db]
    for (let i = 0; i < ops.length; i++) expect(relErr(fused[i], ops[i]), `output ${i}`).toBeLessThan(2e-6);
    const names = await kernelNames((...a) => layerNorm(a[0] as tf.Tensor2D, a[1], a[2]), [x, g, b]);
    expect(names.filter((n) => n.startsWith('HeedLayerNorm'))).toEqual(['HeedLayerNorm', 'HeedLayerNormGrad']);
    expect(names.filter((n) => !['HeedLayerNorm', 'HeedLayerNormGrad', 'Identity', 'Sum', 'Reshape', 'Multiply'].includes(n))).toEqual([]);
    // Outside a tape (inference) the op composition runs: bit for bit what it was.
    const plain = tf.tidy(() => [layerNorm(x as tf.Tensor2D, g, b), layerNormOps(x as tf.Tensor2D, g, b)]);
    expect(await values(plain[0])).toEqual(await values(plain[1]));
    tf.dispose([x, g, b, ...plain]);
  });
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: fused GELU equals the op composition in value and gradient, in one kernel each way`, async () => {
    await useBackend(backend);
    const x = tf.mul(tf.randomNormal([33, 72], 0, 1, 'float32', 4), 2.5); // both tails and the middle; wasm's SIMD needs a size divisible by 4
    const fused = await valueAndGrads((a) => gelu(a), [x]);
    const ops = await valueAndGrads((a) => geluOps(a), [x]);
    for (let i = 0; i < ops.length; i++) expect(relErr(fused[i], ops[i]), `output ${i}`).toBeLessThan(1e-6);
    const names = await kernelNames((a) => gelu(a), [x]);
    expect(names.filter((n) => !['Identity', 'Sum', 'Reshape', 'Multiply'].includes(n))).toEqual(['HeedGelu', 'HeedGeluGrad']);
    tf.dispose(x);
  });
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: head split and merge equal the reshape-transpose compositions exactly, values and gradients`, async () => {
    await useBackend(backend);
    const [B, T, nh, hs] = [2, 5, 3, 4];
    const C = nh * hs;
    const toHeads = (t: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [B, T, nh, hs]), [0, 2, 1, 3]), [B * nh, T, hs]) as tf.Tensor3D;
    const splitOps = (x: tf.Tensor) => {
      const [q, k, v] = tf.split(x, 3, 1).map(toHeads);
      return [q, tf.transpose(k, [0, 2, 1]), v];
    };
    const mergeOps = (y: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(y, [B, nh, T, hs]), [0, 2, 1, 3]), [B * T, C]);
    // Each output weighted differently, so a gradient routed to the wrong place shows.
    const viaKernels = (x: tf.Tensor) => {
      const [q, k, v] = splitHeads(x as tf.Tensor2D, B, T, nh)!;
      return tf.concat([tf.reshape(q, [-1]), tf.reshape(tf.mul(k, 2), [-1]), tf.reshape(mergeHeads(tf.mul(v, 3) as tf.Tensor3D, B, T, nh)!, [-1])]);
    };
    const viaOps = (x: tf.Tensor) => {
      const [q, k, v] = splitOps(x);
      return tf.concat([tf.reshape(q, [-1]), tf.reshape(tf.mul(k, 2), [-1]), tf.reshape(mergeOps(tf.mul(v, 3)), [-1])]);
    };
    const x = tf.randomNormal([B * T, 3 * C], 0, 1, 'float32', 5);
    const [a, b] = [await valueAndGrads(viaKernels, [x]), await valueAndGrads(viaOps, [x])];
    for (let i = 0; i < a.length; i++) expect(Array.from(a[i]), `output ${i}`).toEqual(Array.from(b[i]));
    const shapes = tf.tidy(() => splitHeads(x as tf.Tensor2D, B, T, nh)!.map((t) => t.shape));
    expect(shapes).toEqual([[B * nh, T, hs], [B * nh, hs, T], [B * nh, T, hs]]);
    tf.dispose(x);
  });
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: the one-kernel dense layer equals matMul-then-add in value and gradients`, async () => {
    await useBackend(backend);
    const x = tf.randomNormal([24, 16], 0, 1, 'float32', 6);
    const w = tf.randomNormal([16, 40], 0, 0.3, 'float32', 7);
    const b = tf.randomNormal([40], 0, 1, 'float32', 8);
    const fused = await valueAndGrads((...a) => dense(a[0] as tf.Tensor2D, a[1], a[2]), [x, w, b]);
    const ops = await valueAndGrads((...a) => denseOps(a[0] as tf.Tensor2D, a[1], a[2]), [x, w, b]);
    for (let i = 0; i < ops.length; i++) expect(relErr(fused[i], ops[i]), `output ${i}`).toBeLessThan(1e-6);
    const names = await kernelNames((...a) => dense(a[0] as tf.Tensor2D, a[1], a[2]), [x, w, b]);
    expect(names.filter((n) => n.startsWith('Heed') || n === 'Add' || n === 'forward')).toEqual(['HeedDense']);
    tf.dispose([x, w, b]);
  });
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: the causal softmax equals scale, mask and softmax as ops, in value and gradient`, async () => {
    await useBackend(backend);
    const [BH, T, past] = [6, 7, 5]; // rows of 12 (wasm's SIMD needs a multiple of 4) that see 6 to 12 keys
    const S = past + T;
    const scale = 1 / Math.sqrt(8);
    const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, S]), -1, past)), -1e9);
    const ops = (x: tf.Tensor) => tf.softmax(tf.add(tf.mul(x, scale), mask));
    const x = tf.mul(tf.randomNormal([BH, T, S], 0, 1, 'float32', 9), 4);
    const fused = await valueAndGrads((a) => causalSoftmax(a as tf.Tensor3D, scale, past)!, [x]);
    const reference = await valueAndGrads(ops, [x]);
    for (let i = 0; i < reference.length; i++) expect(relErr(fused[i], reference[i]), `output ${i}`).toBeLessThan(2e-6);
    expect(fused[0][S - 1]).toBe(0); // row 0 sees keys 0..past only
    const names = await kernelNames((a) => causalSoftmax(a as tf.Tensor3D, scale, past)!, [x]);
    expect(names.filter((n) => n.startsWith('Heed'))).toEqual(['HeedCausalSoftmax', 'HeedCausalSoftmaxGrad']);
    tf.dispose([x, mask]);
  });
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: token log-probabilities in one kernel equal log-softmax and one-hot as ops, in value and gradient`, async () => {
    await useBackend(backend);
    const [N, V] = [19, 23];
    const logits = tf.mul(tf.randomNormal([N, V], 0, 1, 'float32', 11), 3);
    const ids = Array.from({ length: N }, (_, i) => (i * 7) % V);
    ids[4] = -1; // no such token: log-probability 0 and no gradient, as a zero one-hot row gives
    const targets = tf.tensor1d(ids, 'int32');
    const fused = await valueAndGrads((a) => tokenLogProbs(a as tf.Tensor2D, targets), [logits]);
    const ops = await valueAndGrads((a) => tokenLogProbsOps(a as tf.Tensor2D, targets), [logits]);
    for (let i = 0; i < ops.length; i++) expect(relErr(fused[i], ops[i]), `output ${i}`).toBeLessThan(2e-6);
    expect(fused[0][4]).toBe(0);
    const names = await kernelNames((a) => tokenLogProbs(a as tf.Tensor2D, targets), [logits]);
    expect(names.filter((n) => n.startsWith('Heed'))).toEqual(['HeedTokenLogProbs', 'HeedTokenLogProbsGrad']);
    tf.dispose([logits, targets]);
  });
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: token plus position embeddings in one kernel equal one-hot matMul, slice and add, in value and gradients`, async () => {
    await useBackend(backend);
    const [B, T, past, V, P, C] = [3, 4, 2, 9, 8, 5];
    const ids = tf.tensor1d([0, 8, 3, 3, 1, 2, 3, 4, 5, 6, 7, -1], 'int32'); // a repeated id sums; -1 embeds as zeros
    const wte = tf.randomNormal([V, C], 0, 1, 'float32', 12);
    const wpe = tf.randomNormal([P, C], 0, 1, 'float32', 13);
    const ops = (te: tf.Tensor, pe: tf.Tensor) =>
      tf.reshape(tf.add(tf.reshape(embed(ids, te as tf.Tensor2D), [B, T, C]), tf.slice(pe, [past, 0], [T, C])), [B * T, C]);
    const fused = await valueAndGrads((te, pe) => embedFused(ids, te as tf.Tensor2D, pe as tf.Tensor2D, T, past)!, [wte, wpe]);
    const reference = await valueAndGrads(ops, [wte, wpe]);
    expect(Array.from(fused[0])).toEqual(Array.from(reference[0])); // the forward is exact
    for (let i = 1; i < reference.length; i++) expect(relErr(fused[i], reference[i]), `output ${i}`).toBeLessThan(1e-6);
    tf.dispose([ids, wte, wpe]);
  });
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: the batched matMul and its transposed-operand gradients equal tf.matMul's, without transpose kernels on wasm`, async () => {
    await useBackend(backend);
    // [4, 8, 12] x [4, 12, 16]: every product in bmm.wat; [2, 5, 6] x [2, 6, 16]: dA's 'nt' is 6 wide, so it falls back.
    for (const [B, M, K, N] of [[4, 8, 12, 16], [2, 5, 6, 16]]) {
      const a = tf.randomNormal([B, M, K], 0, 1, 'float32', 14);
      const b = tf.randomNormal([B, K, N], 0, 1, 'float32', 15);
      const viaKernel = await valueAndGrads((x, y) => batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D), [a, b]);
      const reference = await valueAndGrads((x, y) => tf.matMul(x, y), [a, b]);
      expect(Array.from(viaKernel[0])).toEqual(Array.from(reference[0])); // the forward product is summed in the same order
      for (let i = 1; i < reference.length; i++) expect(relErr(viaKernel[i], reference[i]), `output ${i} of [${B}, ${M}, ${K}, ${N}]`).toBeLessThan(1e-6);
      const names = await kernelNames((x, y) => batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D), [a, b]);
      if (backend === 'wasm') expect(names.filter((n) => n === 'Transpose').length, `[${B}, ${M}, ${K}, ${N}]`).toBe(N === 16 && K % 4 === 0 ? 0 : 1);
      tf.dispose([a, b]);
    }
  });
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: the residual add equals tf.add bit for bit, and its gradient runs no kernel`, async () => {
    await useBackend(backend);
    const a = tf.randomNormal([12, 20], 0, 1, 'float32', 16);
    const b = tf.randomNormal([12, 20], 0, 1, 'float32', 17);
    // a feeds the add and a product, so its gradient sums two paths; b's is dy alone.
    const viaKernel = await valueAndGrads((x, y) => tf.mul(residualAdd(x as tf.Tensor2D, y as tf.Tensor2D), x), [a, b]);
    const reference = await valueAndGrads((x, y) => tf.mul(tf.add(x, y), x), [a, b]);
    for (let i = 0; i < reference.length; i++) expect(Array.from(viaKernel[i]), `output ${i}`).toEqual(Array.from(reference[i]));
    const names = await kernelNames((x, y) => residualAdd(x as tf.Tensor2D, y as tf.Tensor2D), [a, b]);
    const plain = await kernelNames((x, y) => tf.add(x, y), [a, b]);
    // The same pass but for the kernel's name and the two Reshapes of tf.add's gradient (the rest is kernelNames' sum).
    const without = (list: string[], drop: string[]) => drop.reduce((l, d) => (l.includes(d) ? [...l.slice(0, l.indexOf(d)), ...l.slice(l.indexOf(d) + 1)] : l), list);
    expect(without(names, ['HeedResidualAdd']).sort()).toEqual(without(plain, ['Add', 'Reshape', 'Reshape']).sort());
    tf.dispose([a, b]);
  });
}
