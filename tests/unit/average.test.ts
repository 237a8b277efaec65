/** Checkpoint averaging: every weight is the mean of the models', the inputs untouched, nothing leaked. */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { averageModels } from '../../src/engine/average.ts';
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
