import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { filterProbs, generate, generateBatch, generateMany, softmaxWithTemperature } from '../../src/engine/generate.ts';
import { CACHE_CHUNK, GPT } from '../../src/engine/model.ts';
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

test('a cache of several chunks (a prompt longer than one, then tokens across chunk ends) matches a full forward', async () => {
  await useBackend('cpu');
  const model = GPT.create({ ...MICRO, blockSize: 3 * CACHE_CHUNK }, 5);
  tf.tidy(() => model.trainableVariables.forEach((w) => w.assign(tf.mul(w, 30))));
  const ids = Array.from({ length: 2 * CACHE_CHUNK + 20 }, (_, i) => (i * 5 + 3) % MICRO.vocabSize);
  const prompt = CACHE_CHUNK + 10; // a full chunk and the start of the next
  const cache = model.newCache();
  const rows = [Array.from(tf.tidy(() => model.forward(tf.tensor2d([ids.slice(0, prompt)], [1, prompt], 'int32'), { cache }).logits).dataSync())];
  for (const id of ids.slice(prompt)) rows.push(Array.from(tf.tidy(() => model.forward(tf.tensor2d([[id]], [1, 1], 'int32'), { cache }).logits).dataSync()));
  expect(cache.kT[0].map((c) => c.shape[2])).toEqual([CACHE_CHUNK, CACHE_CHUNK, 20]);
  expect(cache.v[0].map((c) => c.shape[1])).toEqual([CACHE_CHUNK, CACHE_CHUNK, 20]);
  const full = tf.tidy(() => model.forward(tf.tensor2d([ids], [1, ids.length], 'int32')).logits).dataSync();
  expect(maxAbsDiff(rows.flat(), full)).toBeLessThan(1e-4);
  GPT.disposeCache(cache);
  model.dispose();
});

test('side-by-side sampling gives each row the text generate gives with its seed, stops and crops alike', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 9);
  const prompt = [1, 2, 3];
  const seeds = [4, 5, 6, 7, 8];
  const greedy = await generate(model, prompt, { temperature: 0, maxNewTokens: 6 });
  const stop = greedy.ids[3];
  for (const o of [{ temperature: 2, maxNewTokens: 12 }, { temperature: 1.5, topK: 3, maxNewTokens: 10, stopTokens: [stop] }, { temperature: 0, maxNewTokens: 6, stopTokens: [stop] }]) {
    const many = await generateMany(model, prompt, seeds, o);
    const one = await Promise.all(seeds.map((seed) => generate(model, prompt, { ...o, seed })));
    expect(many).toEqual(one.map((r) => ({ ids: r.ids, finish: r.finish })));
  }
  const sampled = await generateMany(model, prompt, seeds, { temperature: 2, maxNewTokens: 12 });
  expect(new Set(sampled.map((r) => r.ids.join(','))).size).toBeGreaterThan(1); // the rows are not one sample repeated
  const stopped = await generateMany(model, prompt, [1, 2], { temperature: 0, maxNewTokens: 6, stopTokens: [stop] });
  expect(stopped.map((r) => r.finish)).toEqual(['stop', 'stop']);
  // Past the block size the window is cropped, as generate crops it.
  const long = Array.from({ length: MICRO.blockSize - 2 }, (_, i) => i % MICRO.vocabSize);
  const past = await generateMany(model, long, [3, 9], { temperature: 1, maxNewTokens: 8 });
  expect(past).toEqual(await Promise.all([3, 9].map(async (seed) => {
    const r = await generate(model, long, { temperature: 1, maxNewTokens: 8, seed });
    return { ids: r.ids, finish: r.finish };
  })));
  expect(await generateMany(model, prompt, [], { maxNewTokens: 4 })).toEqual([]);
  await expect(generateMany(model, [], [1])).rejects.toThrow(/at least one token/);
  const before = tf.memory().numTensors; // the model's attention masks for these shapes are made by now
  await generateMany(model, long, [3, 9], { temperature: 1, maxNewTokens: 8 });
  await generateMany(model, prompt, seeds, { temperature: 2, maxNewTokens: 12 });
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
});

test('prompts of different lengths, left-padded side by side, give the texts generate gives each alone', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 9);
  // Weights 30x their initial scale: attention far from uniform, so a pad attended to or a position off by one changes the text.
  tf.tidy(() => model.trainableVariables.forEach((w) => w.assign(tf.mul(w, 30))));
  const B = MICRO.blockSize;
  // Short and long prompts; the longest crosses the block size while it answers, the last starts past it.
  const prompts = [[1], [4, 5, 6, 7, 8, 9], Array.from({ length: B - 3 }, (_, i) => (i * 7) % MICRO.vocabSize), [2, 3], Array.from({ length: B + 5 }, (_, i) => i % MICRO.vocabSize)];
  const seeds = [11, 12, 13, 14, 15];
  for (const o of [{ temperature: 0, maxNewTokens: 9 }, { temperature: 1.5, maxNewTokens: 9 }]) {
    const batch = await generateBatch(model, prompts, seeds, o);
    const alone = await Promise.all(prompts.map((p, i) => generate(model, p, { ...o, seed: seeds[i] })));
    expect(batch).toEqual(alone.map((r) => ({ ids: r.ids, finish: r.finish })));
  }
  const before = tf.memory().numTensors;
  await generateBatch(model, prompts, seeds, { temperature: 1.5, maxNewTokens: 9 });
  expect(tf.memory().numTensors).toBe(before);
  await expect(generateBatch(model, prompts, [1], {})).rejects.toThrow(/5 prompts but 1 seeds/);
  model.dispose();
});

test('a left-padded row reads as the row alone: padding masked, positions from its first token', async () => {
  await useBackend('cpu');
  const model = GPT.create(MICRO, 9);
  tf.tidy(() => model.trainableVariables.forEach((w) => w.assign(tf.mul(w, 30))));
  const [short, long] = [[5, 6, 7], [1, 2, 3, 4, 5, 6]];
  const padded = model.newCache();
  padded.start = [3, 0];
  const alone = model.newCache();
  const rows = (t: tf.Tensor2D, n: number, T: number) => tf.reshape(t, [n, T, MICRO.vocabSize]);
  const prefill = tf.tidy(() => rows(model.forward(tf.tensor2d([[0, 0, 0, ...short], long], [2, 6], 'int32'), { cache: padded }).logits, 2, 6));
  const one = tf.tidy(() => rows(model.forward(tf.tensor2d([short], [1, 3], 'int32'), { cache: alone }).logits, 1, 3));
  expect(maxAbsDiff(tf.slice(prefill, [0, 3, 0], [1, 3, -1]).dataSync(), one.dataSync())).toBeLessThan(1e-4);
  const step = tf.tidy(() => rows(model.forward(tf.tensor2d([[8], [7]], [2, 1], 'int32'), { cache: padded }).logits, 2, 1));
  const stepAlone = tf.tidy(() => rows(model.forward(tf.tensor2d([[8]], [1, 1], 'int32'), { cache: alone }).logits, 1, 1));
  expect(maxAbsDiff(tf.slice(step, [0, 0, 0], [1, 1, -1]).dataSync(), stepAlone.dataSync())).toBeLessThan(1e-4);
  // Unmasked, the padding would change the short row's answer.
  const unmasked = tf.tidy(() => rows(model.forward(tf.tensor2d([[0, 0, 0, ...short]], [1, 6], 'int32')).logits, 1, 6));
  expect(maxAbsDiff(tf.slice(unmasked, [0, 3, 0], [1, 3, -1]).dataSync(), one.dataSync())).toBeGreaterThan(1e-2);
  tf.dispose([prefill, one, step, stepAlone, unmasked]);
  GPT.disposeCache(padded);
  GPT.disposeCache(alone);
  model.dispose();
});
