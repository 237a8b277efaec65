/** The hand-written gradients match TF.js's own and finite differences, on cpu and wasm. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { crossEntropy, dense, embed, gelu, layerNorm, linear } from '../../src/engine/ops.ts';
import { maxAbsDiff, useBackend, values } from './helpers.ts';

describe.each(['cpu', 'wasm'] as const)('ops on %s', (backend) => {
  test('linear and dense gradients equal plain matMul autodiff', async () => {
    await useBackend(backend);
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([4, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([3], 0, 1, 'float32', 3);
    const r = tf.randomNormal([5, 3], 0, 1, 'float32', 4);
    const ours = tf.grads((x_: tf.Tensor, w_: tf.Tensor, b_: tf.Tensor) =>
      tf.sum(tf.mul(dense(x_ as tf.Tensor2D, w_, b_), r)))([x, w, b]);
    const ref = tf.grads((x_: tf.Tensor, w_: tf.Tensor, b_: tf.Tensor) =>
      tf.sum(tf.mul(tf.add(tf.matMul(x_ as tf.Tensor2D, w_ as tf.Tensor2D), b_), r)))([x, w, b]);
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(await values(ours[i]), await values(ref[i]))).toBeLessThan(1e-5);
    const lin = tf.grads((x_: tf.Tensor, w_: tf.Tensor) => tf.sum(tf.mul(linear(x_ as tf.Tensor2D, w_ as tf.Tensor2D), r)))([x, w]);
    expect(maxAbsDiff(await values(lin[1]), await values(ref[1]))).toBeLessThan(1e-5);
  });

  test('embed equals a row lookup and its gradient counts each id', async () => {
    await useBackend(backend);
    const table = tf.randomNormal([6, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const ids = tf.tensor1d([2, 0, 2, 5], 'int32');
    const rows = await values(embed(ids, table));
    const t = await values(table);
    expect(rows.slice(0, 3)).toEqual(t.slice(6, 9));
    expect(rows.slice(9, 12)).toEqual(t.slice(15, 18));
    const g = await values(tf.grad((tb: tf.Tensor) => tf.sum(embed(ids, tb as tf.Tensor2D)))(table));
    expect(g).toEqual([1, 1, 1, 0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  test('layerNorm and gelu match their definitions', async () => {
    await useBackend(backend);
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const y = await values(layerNorm(x, tf.ones([4]), tf.zeros([4])));
    const sd = Math.sqrt(1.25 + 1e-5);
    expect(maxAbsDiff(y, [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd])).toBeLessThan(1e-5);
    const g = await values(gelu(tf.tensor1d([-1, 0, 1.5])));
    // x * Phi(x): Phi(-1) = 0.158655, Phi(1.5) = 0.933193
    expect(maxAbsDiff(g, [-0.158655, 0, 1.399789])).toBeLessThan(1e-4); // TF.js erf is a polynomial approximation
  });

  test('crossEntropy equals -log softmax at the target, weights select tokens', async () => {
    await useBackend(backend);
    const logits = tf.tensor2d([[2, 0, 0], [0, 1, 3]]);
    const targets = tf.tensor1d([0, 1], 'int32');
    const lse1 = Math.log(Math.exp(2) + 2);
    const lse2 = Math.log(1 + Math.exp(1) + Math.exp(3));
    const l0 = lse1 - 2;
    const l1 = lse2 - 1;
    expect((await values(crossEntropy(logits, targets)))[0]).toBeCloseTo((l0 + l1) / 2, 5);
    expect((await values(crossEntropy(logits, targets, tf.tensor1d([0, 1]))))[0]).toBeCloseTo(l1, 5);
  });
});

test('layerNorm and gelu gradients equal autodiff of their plain definitions', async () => {
  await useBackend('cpu');
  const x = tf.randomNormal([5, 6], 0, 2, 'float32', 8) as tf.Tensor2D;
  const g = tf.randomNormal([6], 1, 0.5, 'float32', 9);
  const b = tf.randomNormal([6], 0, 0.5, 'float32', 10);
  const r = tf.randomNormal([5, 6], 0, 1, 'float32', 11);
  const plainLn = (x_: tf.Tensor, g_: tf.Tensor, b_: tf.Tensor) => {
    const mean = tf.mean(x_, -1, true);
    const xc = tf.sub(x_, mean);
    return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), 1e-5))), g_), b_);
  };
  const ours = tf.grads((x_: tf.Tensor, g_: tf.Tensor, b_: tf.Tensor) => tf.sum(tf.mul(layerNorm(x_ as tf.Tensor2D, g_, b_), r)))([x, g, b]);
  const ref = tf.grads((x_: tf.Tensor, g_: tf.Tensor, b_: tf.Tensor) => tf.sum(tf.mul(plainLn(x_, g_, b_), r)))([x, g, b]);
  for (let i = 0; i < 3; i++) expect(maxAbsDiff(await values(ours[i]), await values(ref[i]))).toBeLessThan(1e-4);
  const gg = await values(tf.grad((x_: tf.Tensor) => tf.sum(tf.mul(gelu(x_), r)))(x));
  const gr = await values(tf.grad((x_: tf.Tensor) => tf.sum(tf.mul(tf.mul(tf.mul(x_, 0.5), tf.add(1, tf.erf(tf.mul(x_, Math.SQRT1_2)))), r)))(x));
  expect(maxAbsDiff(gg, gr)).toBeLessThan(1e-4);
});
