/** The training loop: loss falls, tensors stay flat, NaN stops cleanly, pause/stop work, wasm trains. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { GPT } from '../../src/engine/model.ts';
import { lmLoss, pretrainStage, splitTokens } from '../../src/engine/pretrain.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { type Stage, TrainControl, train, trainInChunks } from '../../src/engine/train.ts';
import { MICRO, useBackend, values } from './helpers.ts';

const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(40);
const tokenizer = CharTokenizer.fromText(text);
const data = splitTokens(tokenizer.encode(text), 0.1);
const config = { ...MICRO, vocabSize: tokenizer.vocabSize, nEmbd: 16 };
const schedule = { lr: 1e-2, minLr: 1e-3, warmup: 5, decaySteps: 120 };
const stage = () => pretrainStage(data, { batchSize: 8, blockSize: 8, seed: 1, evalBatches: 4 });

describe.each(['cpu', 'wasm'] as const)('train on %s', (backend) => {
  test('loss falls well below uniform and numTensors stays flat', async () => {
    await useBackend(backend);
    const model = GPT.create(config, 1);
    const counts: number[] = [];
    const r = await train(model, stage(), {
      iters: 120, schedule, clip: 1,
      onProgress: (p) => p.step > 1 && counts.push(tf.memory().numTensors),
    });
    expect(r.reason).toBe('done');
    expect(r.lastEval!.valLoss).toBeLessThan(0.5 * Math.log(tokenizer.vocabSize));
    expect(new Set(counts).size).toBe(1);
    model.dispose();
    r.optimizer.dispose();
  });
});

test('a NaN loss stops training and keeps the weights of the last good step', async () => {
  await useBackend('cpu');
  const model = GPT.create(config, 2);
  const base = stage();
  let calls = 0;
  const poisoned: Stage<{ x: tf.Tensor2D; y: tf.Tensor2D }> = {
    ...base,
    loss: (m, b) => (++calls === 4 ? tf.mul(lmLoss(m, b.x, b.y), NaN) : lmLoss(m, b.x, b.y)),
  };
  let before: number[] = [];
  const r = await train(model, poisoned, {
    iters: 10, schedule, clip: 1,
    onProgress: (p) => {
      if (p.step === 3) before = Array.from(model.weights.get('wte')!.dataSync()); // cpu: synchronous is exact here
    },
  });
  expect(r.reason).toBe('nonfinite');
  expect(r.step).toBe(3);
  expect(r.message).toMatch(/loss is NaN at step 4/);
  expect(await values(model.weights.get('wte')!)).toEqual(before);
  model.dispose();
});

test('pause holds the loop, resume continues, stop ends it', async () => {
  await useBackend('cpu');
  const model = GPT.create(config, 3);
  const control = new TrainControl();
  const seen: number[] = [];
  const run = train(model, stage(), {
    iters: 1000, schedule, clip: 1, control,
    onProgress: (p) => {
      seen.push(p.step);
      if (p.step === 2) control.pause();
    },
  });
  await new Promise((r) => setTimeout(r, 100));
  expect(control.paused).toBe(true);
  expect(seen.at(-1)).toBe(2);
  control.resume();
  await new Promise((r) => setTimeout(r, 50));
  control.stop();
  const r = await run;
  expect(r.reason).toBe('stopped');
  expect(r.step).toBeGreaterThan(2);
  expect(r.step).toBeLessThan(1000);
  model.dispose();
});

test('the same seed gives the same loss curve', async () => {
  await useBackend('cpu');
  const curve = async () => {
    const model = GPT.create(config, 5);
    const losses: number[] = [];
    await train(model, stage(), { iters: 5, schedule, clip: 1, onProgress: (p) => losses.push(p.loss) });
    model.dispose();
    return losses;
  };
  expect(await curve()).toEqual(await curve());
});

test('a run in chunks ends with the weights of one run, and the callback between chunks can stop it', async () => {
  await useBackend('cpu');
  const one = GPT.create(config, 4);
  const r1 = await train(one, stage(), { iters: 9, schedule, clip: 1 });
  const chunked = GPT.create(config, 4);
  const seen: number[] = [];
  const r2 = await trainInChunks(chunked, stage(), { iters: 9, every: 4, schedule, clip: 1 }, async (r) => void seen.push(r.step));
  expect(seen).toEqual([4, 8, 9]);
  expect(r2.step).toBe(9);
  const [a, b] = [one, chunked].map((m) => m.trainableVariables.map((v) => Array.from(v.dataSync())));
  expect(b).toEqual(a);
  // Stopping early: the callback says so after the second chunk.
  const early = GPT.create(config, 4);
  const r3 = await trainInChunks(early, stage(), { iters: 9, every: 4, schedule, clip: 1 }, async (r) => r.step >= 8);
  expect(r3.step).toBe(8);
  [one, chunked, early].forEach((m) => m.dispose());
  [r1, r2, r3].forEach((r) => r.optimizer.dispose());
});
