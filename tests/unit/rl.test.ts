/** RL: group-relative advantages, and steps that move probability toward higher-reward answers. */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { renderPrompt } from '../../src/data/chat.ts';
import { nextTokenLogits, softmaxWithTemperature } from '../../src/engine/generate.ts';
import { GPT } from '../../src/engine/model.ts';
import { RlTrainer, groupAdvantages, whiten } from '../../src/engine/rl.ts';
import { NonFiniteError } from '../../src/engine/train.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { runRl } from '../../src/stages/rl.ts';
import { RL_DEFAULTS } from '../../src/stages/settings.ts';
import { halfwayMoved, useBackend } from './helpers.ts';

const tok = CharTokenizer.ascii();
const config = { vocabSize: tok.vocabSize, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16 };

test('advantages are rewards minus their group mean', () => {
  groupAdvantages([1, 0, 0, 1, 1, 1], 3).forEach((a, i) => expect(a).toBeCloseTo([2 / 3, -1 / 3, -1 / 3, 0, 0, 0][i], 12));
});

test('whitened advantages have unit spread and keep their signs; equal ones stay as they are', () => {
  const w = whiten([2, -2, 1, -1]);
  expect(Math.sqrt(w.reduce((s, a) => s + a * a, 0) / w.length)).toBeCloseTo(1, 12);
  expect(w.map(Math.sign)).toEqual([1, -1, 1, -1]);
  expect(w[0] / w[2]).toBeCloseTo(2, 12);
  expect(whiten([0, 0, 0])).toEqual([0, 0, 0]);
});

test('RL steps raise the probability of answers the reward prefers; the reference stays put', async () => {
  await useBackend('cpu');
  const policy = GPT.create(config, 4);
  const ref = policy.frozenCopy();
  const lower = new Set([...'abcdefghijklmnopqrstuvwxyz'].map((c) => tok.encode(c)[0]));
  const pLower = async (m: GPT) => {
    const p = softmaxWithTemperature(await nextTokenLogits(m, renderPrompt(tok, 'Go')), 1);
    return [...lower].reduce((s, id) => s + p[id], 0);
  };
  const before = await pLower(policy);
  const refBefore = await pLower(ref);
  // Reward: 1 when the answer starts with a lowercase letter (about a quarter of the vocabulary).
  const prompts = [{ ids: renderPrompt(tok, 'Go'), reward: (a: string) => (/^[a-z]/.test(a) ? 1 : 0) }];
  const rl = new RlTrainer(policy, ref, tok, { k: 8, promptsPerStep: 2, beta: 0.01, temperature: 1, maxNewTokens: 2, seed: 1 });
  const schedule = { lr: 3e-2, minLr: 3e-2, warmup: 0, decaySteps: 15 };
  let last = await rl.trainStep(prompts, schedule);
  const afterFirst = tf.memory().numTensors; // weights, AdamW moments, cached causal masks
  for (let i = 1; i < 15; i++) last = await rl.trainStep(prompts, schedule);
  expect(tf.memory().numTensors).toBe(afterFirst); // sampling, scoring and steps hold nothing
  const after = await pLower(policy);
  expect(after).toBeGreaterThan(before + 0.2);
  expect(await pLower(ref)).toBe(refBefore);
  expect(last!.step).toBe(15);
  expect(last!.kl).toBeGreaterThan(0); // the policy moved away from the reference
  rl.dispose();
  policy.dispose();
  ref.dispose();
});

test('a non-finite reward stops RL with a NonFiniteError (which the page reports as such), the weights untouched', async () => {
  await useBackend('cpu');
  const policy = GPT.create(config, 5);
  const ref = policy.frozenCopy();
  const before = await policy.weights.get('wte')!.data();
  const rl = new RlTrainer(policy, ref, tok, { k: 2, promptsPerStep: 1, beta: 0, temperature: 1, maxNewTokens: 2, seed: 1 });
  const bad = [{ ids: renderPrompt(tok, 'Go'), reward: () => Number.NaN }];
  await expect(rl.trainStep(bad, { lr: 1e-2, minLr: 1e-2, warmup: 0, decaySteps: 1 })).rejects.toBeInstanceOf(NonFiniteError);
  expect(Array.from(await policy.weights.get('wte')!.data())).toEqual(Array.from(before));
  rl.dispose();
  ref.dispose();
  policy.dispose();
});

test('the RL stage keeps the asked share of its step: keep 0.5 ends at the mean of the start and the full run', async () => {
  await useBackend('cpu');
  const count = tf.memory().numTensors;
  const prompts = [{ ids: renderPrompt(tok, 'Go'), reward: (a: string) => (a.includes('a') ? 1 : 0) }];
  const settings = { ...RL_DEFAULTS, iters: 2, k: 4, promptsPerStep: 1, lr: 1e-2, beta: 0, maxNewTokens: 4, seed: 3, whiten: false };
  const [full, half, start] = [GPT.create(config, 5), GPT.create(config, 5), GPT.create(config, 5)];
  for (const [m, keep] of [[full, 1], [half, 0.5]] as const) expect((await runRl(m, tok, prompts, { ...settings, keep })).reason).toBe('done');
  expect(await halfwayMoved(full, half, start)).toBeGreaterThan(1e-4); // halfway, and the run did move the weights
  [full, half, start].forEach((m) => m.dispose());
  expect(tf.memory().numTensors).toBe(count);
});
