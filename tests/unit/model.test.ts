/** The GPT: gradients against finite differences, causality, shapes, frozen copies. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { countParams, presetConfig, weightShapes } from '../../src/engine/config.ts';
import { GPT } from '../../src/engine/model.ts';
import { lmLoss } from '../../src/engine/pretrain.ts';
import { Rng } from '../../src/engine/rng.ts';
import { MICRO, maxAbsDiff, useBackend, values } from './helpers.ts';

const x = () => tf.tensor2d([[1, 4, 2, 7, 3, 3], [9, 0, 5, 1, 8, 2]], [2, 6], 'int32');
const y = () => tf.tensor2d([[4, 2, 7, 3, 3, 10], [0, 5, 1, 8, 2, 6]], [2, 6], 'int32');

describe.each(['cpu', 'wasm'] as const)('GPT on %s', (backend) => {
  test('every weight gradient matches central finite differences', async () => {
    await useBackend(backend);
    const model = GPT.create(MICRO, 3);
    // Scale weights up so the loss is sensitive enough for float32 differences.
    for (const [name, v] of model.weights) if (!name.includes('ln_')) v.assign(tf.mul(v, 20));
    const loss = () => lmLoss(model, x(), y());
    const { grads } = tf.variableGrads(loss, model.trainableVariables);
    const rng = new Rng(7);
    const eps = 1e-2;
    let checked = 0;
    for (const [name, v] of model.weights) {
      const analytic = await values(grads[v.name]);
      const base = await values(v);
      for (let n = 0; n < 2; n++) {
        const i = rng.int(base.length);
        const at = async (delta: number) => {
          const copy = Float32Array.from(base);
          copy[i] += delta;
          v.assign(tf.tensor(copy, v.shape));
          return (await values(tf.tidy(loss)))[0];
        };
        const numeric = ((await at(eps)) - (await at(-eps))) / (2 * eps);
        v.assign(tf.tensor(base, v.shape));
        const tol = 2e-2 * Math.max(1, Math.abs(numeric));
        expect(Math.abs(analytic[i] - numeric), `${name}[${i}] analytic ${analytic[i]} numeric ${numeric}`).toBeLessThan(tol);
        checked++;
      }
    }
    expect(checked).toBe(weightShapes(MICRO).length * 2);
    model.dispose();
  });

  test('attention is causal: changing a later token leaves earlier logits unchanged', async () => {
    await useBackend(backend);
    const model = GPT.create(MICRO, 4);
    const a = await values(model.forward(tf.tensor2d([[1, 2, 3, 4, 5]], [1, 5], 'int32')).logits);
    const b = await values(model.forward(tf.tensor2d([[1, 2, 3, 9, 5]], [1, 5], 'int32')).logits);
    const V = MICRO.vocabSize;
    expect(maxAbsDiff(a.slice(0, 3 * V), b.slice(0, 3 * V))).toBeLessThan(1e-6);
    expect(maxAbsDiff(a.slice(3 * V), b.slice(3 * V))).toBeGreaterThan(1e-4);
    model.dispose();
  });
});

test('a fresh model predicts close to uniform (loss about ln V)', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 1);
  const l = (await values(lmLoss(model, x(), y())))[0];
  expect(Math.abs(l - Math.log(MICRO.vocabSize))).toBeLessThan(0.1);
  model.dispose();
});

test('forward returns attention maps that are causal distributions', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 1);
  const { attention } = model.forward(tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32'), { attention: true });
  expect(attention).toHaveLength(MICRO.nLayer);
  const a = await values(attention![0]); // [1, nh, 4, 4]
  expect(a[1]).toBeLessThan(1e-6); // row 0 may not look at position 1
  expect(a[0] + a[1] + a[2] + a[3]).toBeCloseTo(1, 5);
  model.dispose();
});

test('attentionAt gives the last row of every layer and head, and leaks no tensors', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 1);
  const ids = [1, 2, 3, 4, 5];
  await model.attentionAt(ids); // the first call caches this length's causal mask
  const before = tf.memory().numTensors;
  const rows = await model.attentionAt(ids);
  expect(tf.memory().numTensors).toBe(before);
  const { attention } = model.forward(tf.tensor2d([ids], [1, 5], 'int32'), { attention: true });
  const full = (await attention![1].array()) as number[][][][];
  expect(rows).toHaveLength(MICRO.nLayer);
  expect(rows[1]).toHaveLength(MICRO.nHead);
  rows[1].forEach((row, h) => row.forEach((v, j) => expect(v).toBeCloseTo(full[0][h][4][j], 6)));
  tf.dispose(attention);
  model.dispose();
});

test('weights carry GPT-2 names and counts; the baby preset matches nanoGPT', () => {
  const names = weightShapes(MICRO).map(([n]) => n);
  expect(names).toContain('h.1.attn.c_attn.weight');
  expect(names).toContain('ln_f.bias');
  // By hand for C=128, V=65, T=64, 4 layers: wte 8320 + wpe 8192 + 4 x 198272 + ln_f 256.
  // nanoGPT prints 0.80M for this model: it leaves wpe out (809856 - 8192 = 801664).
  expect(countParams(presetConfig('baby', 65))).toBe(809_856);
});

test('a frozen copy does not train and does not follow the original', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 2);
  const ref = model.frozenCopy();
  expect(ref.trainableVariables).toHaveLength(0);
  model.weights.get('wte')!.assign(tf.zeros([MICRO.vocabSize, MICRO.nEmbd]));
  expect(maxAbsDiff(await values(ref.weights.get('wte')!), new Array(MICRO.vocabSize * MICRO.nEmbd).fill(0))).toBeGreaterThan(0);
  model.dispose();
  ref.dispose();
});

test('configs out of range are refused with a message', () => {
  expect(() => GPT.create({ ...MICRO, nEmbd: 9 })).toThrow(/divisible/);
  expect(() => GPT.create({ ...MICRO, nLayer: 0 })).toThrow(/nLayer/);
  expect(() => presetConfig('huge', 10)).toThrow(/unknown preset/);
});
