/** Checkpoint averaging: every weight is the mean of the models', the inputs untouched, nothing leaked. */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { averageModels, interpolateWeights } from '../../src/engine/average.ts';
import { GPT } from '../../src/engine/model.ts';
import { useBackend } from './helpers.ts';

const config = { vocabSize: 12, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 };

test('the average of three models is their element-wise mean; mismatched sizes are refused', async () => {
  await useBackend('cpu');
  const start = tf.memory().numTensors;
  const models = [1, 2, 3].map((seed) => GPT.create(config, seed));
  const before = await Promise.all(models.map((m) => m.weights.get('wte')!.array() as Promise<number[][]>));
  const mean = await averageModels(models);
  const got = (await mean.weights.get('wte')!.array()) as number[][];
  got.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo((before[0][i][j] + before[1][i][j] + before[2][i][j]) / 3, 6)));
  for (const name of models[0].weights.keys()) expect(mean.weights.get(name)!.shape).toEqual(models[0].weights.get(name)!.shape);
  expect(await models[1].weights.get('wte')!.array()).toEqual(before[1]); // inputs untouched
  const wider = GPT.create({ ...config, nEmbd: 16 }, 4);
  await expect(averageModels([models[0], wider])).rejects.toThrow(/model 2 has another configuration/);
  [...models, mean, wider].forEach((m) => m.dispose());
  expect(tf.memory().numTensors).toBe(start);
});

test('keeping a share of the step: start + keep x (tuned - start), in place; 1 leaves the tuned model, 0 the start', async () => {
  await useBackend('cpu');
  const count = tf.memory().numTensors;
  const [start, tuned] = [GPT.create(config, 1), GPT.create(config, 2)];
  const [s, t] = await Promise.all([start, tuned].map((m) => m.weights.get('wte')!.array() as Promise<number[][]>));
  interpolateWeights(tuned, start, 1);
  expect(await tuned.weights.get('wte')!.array()).toEqual(t);
  interpolateWeights(tuned, start, 0.25);
  const got = (await tuned.weights.get('wte')!.array()) as number[][];
  got.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(s[i][j] + 0.25 * (t[i][j] - s[i][j]), 6)));
  expect(await start.weights.get('wte')!.array()).toEqual(s); // the start untouched
  interpolateWeights(tuned, start, 0);
  expect(await tuned.weights.get('wte')!.array()).toEqual(s);
  expect(() => interpolateWeights(tuned, start, 1.5)).toThrow(/from 0 to 1, got 1.5/);
  const wider = GPT.create({ ...config, nEmbd: 16 }, 4);
  expect(() => interpolateWeights(wider, start, 0.5)).toThrow(/one configuration/);
  [start, tuned, wider].forEach((m) => m.dispose());
  expect(tf.memory().numTensors).toBe(count);
});
