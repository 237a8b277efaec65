/** AdamW against a hand-written reference, clipping, and the schedule. */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { adamwAll, adamwOps, adamwStep } from '../../src/engine/kernels/adamw.ts';
import { AdamW, clipScale, globalNorm, learningRate } from '../../src/engine/optim.ts';
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
  expect((await values(clipScale(norm, 1)))[0]).toBeCloseTo(0.2, 5);
  expect((await values(clipScale(norm, 10)))[0]).toBe(1);
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: the one-kernel AdamW update equals the op composition bit for bit (decay, clip scale, late steps)`, async () => {
    await useBackend(backend);
    const shape = [300, 200]; // enough values that a missing float32 rounding shows
    const [p, g, m, v] = [0, 1, 2, 3].map((i) => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 10 + i), i === 3 ? tf.abs(tf.randomNormal(shape, 0, 1, 'float32', 7)) : 1));
    const vPos = tf.abs(v);
    for (const [decay, scaleValue, t] of [[1, 1, 1], [1 - 3e-4 * 0.1, 0.37, 2], [1 - 1e-3 * 0.1, 1, 500]] as const) {
      const scale = tf.scalar(scaleValue);
      const a = { lr: 3e-4, beta1: 0.9, beta2: 0.99, eps: 1e-8, bc1: 1 - 0.9 ** t, bc2: 1 - 0.99 ** t, decay };
      const fused = adamwStep(p, g, m, vPos, scale, a);
      const ops = adamwOps(p, g, m, vPos, scale, a);
      for (let j = 0; j < 3; j++) {
        const [x, y] = [await fused[j].data(), await ops[j].data()];
        expect(Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength)), `output ${j}, step ${t}`).toBe(true);
      }
      expect(await values(fused[0])).not.toEqual(await values(p)); // it did update
      tf.dispose([...fused, ...ops, scale]);
    }
    tf.dispose([p, g, m, v, vPos]);
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: every parameter's update in one kernel equals one kernel per parameter, bit for bit`, async () => {
    await useBackend(backend);
    const shapes = [[30, 20], [20], [7, 3, 2]];
    const make = (k: number) => shapes.map((s, i) => tf.abs(tf.randomNormal(s, 0, 1, 'float32', 10 * k + i)));
    const [ps, gs, ms, vs] = [make(1), make(2), make(3), make(4)];
    const scale = tf.scalar(0.61);
    const a = { lr: 3e-4, beta1: 0.9, beta2: 0.99, eps: 1e-8, bc1: 1 - 0.9 ** 3, bc2: 1 - 0.99 ** 3 };
    const decays = [1 - 3e-5, 1, 1 - 3e-5];
    const info = await tf.profile(() => adamwAll(ps, gs, ms, vs, scale, a, decays)!.flat());
    expect(info.kernels.map((k) => k.name)).toEqual(['HeedAdamWAll']);
    const all = info.result as tf.Tensor[];
    for (let i = 0; i < shapes.length; i++) {
      const one = adamwStep(ps[i], gs[i], ms[i], vs[i], scale, { ...a, decay: decays[i] });
      for (let j = 0; j < 3; j++) expect(Array.from(await all[3 * i + j].data()), `parameter ${i}, output ${j}`).toEqual(Array.from(await one[j].data()));
      tf.dispose(one);
    }
    tf.dispose([...ps, ...gs, ...ms, ...vs, ...all, scale]);
  });
}

test('schedule: linear warm-up, cosine decay, floor', () => {
  const s = { lr: 1e-3, minLr: 1e-4, warmup: 100, decaySteps: 2000 };
  expect(learningRate(0, s)).toBeCloseTo(1e-3 / 101, 10);
  expect(learningRate(99, s)).toBeCloseTo(1e-3 * (100 / 101), 10);
  expect(learningRate(100, s)).toBeCloseTo(1e-3, 10);
  expect(learningRate(1050, s)).toBeCloseTo(5.5e-4, 10); // half-way: midpoint of lr and minLr
  expect(learningRate(2000, s)).toBe(1e-4);
  expect(learningRate(5000, s)).toBe(1e-4);
});
