import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { filterProbs, generate, softmaxWithTemperature } from '../../src/engine/generate.ts';
import { GPT } from '../../src/engine/model.ts';
import { MICRO, maxAbsDiff, useBackend } from './helpers.ts';

test('greedy is deterministic; seeded sampling is reproducible and seed-dependent', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 9);
  const g1 = await generate(model, [1, 2], { temperature: 0, maxNewTokens: 12 });
  const g2 = await generate(model, [1, 2], { temperature: 0, maxNewTokens: 12 });
  expect(g1.ids).toEqual(g2.ids);
  const k1 = await generate(model, [1, 2], { temperature: 1, topK: 1, maxNewTokens: 12, seed: 5 });
  expect(k1.ids).toEqual(g1.ids); // top-k 1 is greedy
  const s1 = await generate(model, [1, 2], { temperature: 2, maxNewTokens: 20, seed: 1 });
  const s2 = await generate(model, [1, 2], { temperature: 2, maxNewTokens: 20, seed: 1 });
  const s3 = await generate(model, [1, 2], { temperature: 2, maxNewTokens: 20, seed: 2 });
  expect(s1.ids).toEqual(s2.ids);
  expect(s1.ids).not.toEqual(s3.ids);
  model.dispose();
});

test('stops on a stop token, streams tokens, can be aborted, crops long prompts', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 9);
  const greedy = await generate(model, [1, 2], { temperature: 0, maxNewTokens: 5 });
  const stop = greedy.ids[2];
  const stopped = await generate(model, [1, 2], { temperature: 0, maxNewTokens: 5, stopTokens: [stop] });
  expect(stopped.finish).toBe('stop');
  expect(stopped.ids).toEqual(greedy.ids.slice(0, greedy.ids.indexOf(stop)));
  const streamed: number[] = [];
  const aborted = await generate(model, [1, 2], { temperature: 0, maxNewTokens: 5 }, (e) => {
    streamed.push(e.id);
    return e.index < 1;
  });
  expect(aborted.finish).toBe('aborted');
  expect(streamed).toEqual(greedy.ids.slice(0, 2));
  const long = Array.from({ length: 3 * MICRO.blockSize }, (_, i) => i % MICRO.vocabSize);
  const cropped = await generate(model, long, { temperature: 0, maxNewTokens: 3 });
  const tail = await generate(model, long.slice(-MICRO.blockSize), { temperature: 0, maxNewTokens: 3 });
  expect(cropped.ids).toEqual(tail.ids);
  expect(tf.memory().numTensors).toBeLessThan(200);
  model.dispose();
});

test('temperature, top-k and top-p filter as defined', () => {
  const p = softmaxWithTemperature([0, Math.log(2), Math.log(5)], 1);
  expect(Array.from(p)).toEqual([expect.closeTo(0.125, 6), expect.closeTo(0.25, 6), expect.closeTo(0.625, 6)]);
  expect(Array.from(softmaxWithTemperature([1, 3, 2], 0))).toEqual([0, 1, 0]);
  expect(Array.from(filterProbs(p, 2, 1))).toEqual([0, expect.closeTo(0.25 / 0.875, 6), expect.closeTo(0.625 / 0.875, 6)]);
  expect(Array.from(filterProbs(p, 0, 0.6))).toEqual([0, 0, 1]); // the top token alone already covers 0.6
});

test('bad sampling options are refused with a message', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 9);
  await expect(generate(model, [1], { temperature: -1 })).rejects.toThrow(/temperature/);
  await expect(generate(model, [1], { topP: 0 })).rejects.toThrow(/topP/);
  await expect(generate(model, [], {})).rejects.toThrow(/at least one token/);
  model.dispose();
});

test('the key/value cache gives the same logits as a full forward, and frees its tensors', async () => {
  await useBackend('cpu');
  const model = GPT.create({ ...MICRO, blockSize: 12 }, 4);
  const ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
  const cache = model.newCache();
  const { logits: prefill } = model.forward(tf.tensor2d(ids.slice(0, 6), [1, 6], 'int32'), { cache });
  const steps: number[][] = [];
  for (const id of ids.slice(6)) steps.push(Array.from(await model.forward(tf.tensor2d([id], [1, 1], 'int32'), { cache }).logits.data()));
  const full = Array.from(await model.forward(tf.tensor2d(ids, [1, 10], 'int32')).logits.data());
  const V = MICRO.vocabSize;
  expect(maxAbsDiff(Array.from(await prefill.data()), full.slice(0, 6 * V))).toBeLessThan(1e-5);
  steps.forEach((row, i) => expect(maxAbsDiff(row, full.slice((6 + i) * V, (7 + i) * V))).toBeLessThan(1e-5));
  expect(cache.length).toBe(10);
  GPT.disposeCache(cache);
  tf.dispose(prefill);
  // Generation past the block size restarts the cache from the cropped context and still matches.
  const long = await generate(model, ids, { temperature: 0, maxNewTokens: 8 });
  const before = tf.memory().numTensors; // masks for these shapes are cached by now
  const again = await generate(model, ids, { temperature: 0, maxNewTokens: 8 });
  expect(long.ids).toEqual(again.ids);
  expect(tf.memory().numTensors).toBe(before); // the cache's tensors are all freed
  model.dispose();
});
