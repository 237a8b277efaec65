/** AdamW against a hand-written reference, clipping, and the schedule. */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { AdamW, clipByGlobalNorm, globalNorm, learningRate } from '../../src/engine/optim.ts';
import { useBackend, values } from './helpers.ts';

/** PyTorch's AdamW update for one scalar, in float64. */
function referenceAdamW(p: number, grads: number[], lr: number, wd: number, b1 = 0.9, b2 = 0.99, eps = 1e-8): number {
  let m = 0;
  let v = 0;
  grads.forEach((g, i) => {
    const t = i + 1;
    p *= 1 - lr * wd;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    p -= (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
  });
  return p;
}

test('AdamW matches the reference update; decay applies to matrices only', async () => {
  await useBackend('cpu');
  const matrix = tf.variable(tf.tensor2d([[0.5, -2]]), true, 'optim-test-matrix');
  const bias = tf.variable(tf.tensor1d([0.5]), true, 'optim-test-bias');
  const opt = new AdamW({ weightDecay: 0.1 });
  const gs = [0.3, -1.2, 0.05];
  for (const g of gs) opt.apply([matrix, bias], [tf.tensor2d([[g, g]]), tf.tensor1d([g])], 0.01);
  const [m0, m1] = await values(matrix);
  expect(m0).toBeCloseTo(referenceAdamW(0.5, gs, 0.01, 0.1), 6);
  expect(m1).toBeCloseTo(referenceAdamW(-2, gs, 0.01, 0.1), 6);
  expect((await values(bias))[0]).toBeCloseTo(referenceAdamW(0.5, gs, 0.01, 0), 6);
  opt.dispose();
  tf.dispose([matrix, bias]);
});

test('clipping scales to the max norm and leaves small gradients alone', async () => {
  await useBackend('cpu');
  const grads = [tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])]; // norm 5
  const norm = globalNorm(grads);
  expect((await values(norm))[0]).toBeCloseTo(5, 5);
  const clipped = clipByGlobalNorm(grads, norm, 1);
  expect(await values(clipped[0])).toEqual([expect.closeTo(0.6, 5), 0]);
  expect(await values(clipped[1])).toEqual([0, expect.closeTo(0.8, 5)]);
  const loose = clipByGlobalNorm(grads, norm, 10);
  expect(await values(loose[0])).toEqual([expect.closeTo(3, 5), 0]);
});

test('schedule: linear warm-up, cosine decay, floor', () => {
  const s = { lr: 1e-3, minLr: 1e-4, warmup: 100, decaySteps: 2000 };
  expect(learningRate(0, s)).toBeCloseTo(1e-3 / 101, 10);
  expect(learningRate(99, s)).toBeCloseTo(1e-3 * (100 / 101), 10);
  expect(learningRate(100, s)).toBeCloseTo(1e-3, 10);
  expect(learningRate(1050, s)).toBeCloseTo(5.5e-4, 10); // half-way: midpoint of lr and minLr
  expect(learningRate(2000, s)).toBe(1e-4);
  expect(learningRate(5000, s)).toBe(1e-4);
});
