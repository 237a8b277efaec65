/** DPO: the loss on a case worked by hand, the reference never moves, and training prefers the chosen answers. */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { renderChat } from '../../src/data/chat.ts';
import { chosenNll, dpoMetrics, dpoStage, dpoTerms, sequenceLogProbs, trainDpo } from '../../src/engine/dpo.ts';
import { splitHeldOut } from '../../src/datasets/pairs.ts';
import { runDpo } from '../../src/stages/dpo.ts';
import { GPT } from '../../src/engine/model.ts';
import { sftBatch } from '../../src/engine/sft.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { train } from '../../src/engine/train.ts';
import { halfwayMoved, useBackend, values } from './helpers.ts';

const tok = CharTokenizer.ascii();
const pad = tok.special('<|pad|>');
const config = { vocabSize: tok.vocabSize, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16 };
const seq = (prompt: string, answer: string) => renderChat(tok, [{ role: 'user', content: prompt }, { role: 'assistant', content: answer }]);
const pair = (prompt: string, chosen: string, rejected: string) => ({ chosen: seq(prompt, chosen), rejected: seq(prompt, rejected) });

test('the DPO loss matches a hand computation', async () => {
  await useBackend('cpu');
  // Two pairs. Policy log-probs [chosen1, chosen2, rejected1, rejected2], reference likewise.
  const policy = tf.tensor1d([-2, -3, -4, -1]);
  const ref = tf.tensor1d([-2.5, -3, -3, -2]);
  const beta = 0.5;
  // Pair 1: 0.5 * ((-2 + 2.5) - (-4 + 3)) = 0.75; pair 2: 0.5 * ((-3 + 3) - (-1 + 2)) = -0.5.
  const expected = (-Math.log(1 / (1 + Math.exp(-0.75))) - Math.log(1 / (1 + Math.exp(0.5)))) / 2;
  const t = dpoTerms(policy, ref, beta);
  expect((await values(t.loss))[0]).toBeCloseTo(expected, 6);
  expect(await values(t.margin)).toEqual([0.75, -0.5]);
  expect(await values(t.chosen)).toEqual([0.25, 0]);
  expect(await values(t.rejected)).toEqual([-0.5, 0.5]);
});

test('DPO + NLL adds the chosen answers\' per-token NLL, by hand; the stage uses it only when asked', async () => {
  await useBackend('cpu');
  // Chosen rows have 4 and 2 answer tokens: NLL per token 2/4 and 3/2, mean 1.
  const w = tf.tensor2d([[1, 1, 1, 1], [0, 1, 1, 0], [1, 1, 1, 0], [1, 0, 0, 0]]);
  expect((await values(chosenNll(tf.tensor1d([-2, -3, -4, -1]), w)))[0]).toBeCloseTo(1, 6);
  const model = GPT.create(config, 4);
  const ref = model.frozenCopy();
  const pairs = [pair('Case?', 'low', 'LOW'), pair('Case!', 'quiet', 'QUIET')];
  const o = { batchSize: 2, seed: 1, pad, blockSize: 32, beta: 0.5 };
  const plain = dpoStage(pairs, ref, o);
  const withNll = dpoStage(pairs, ref, { ...o, sftWeight: 2 });
  const b = plain.nextBatch(0);
  const lp = sequenceLogProbs(model, b.x, b.y, b.w);
  const byHand = (await values(dpoTerms(lp, b.ref, 0.5).loss))[0] + 2 * (await values(chosenNll(lp, b.w)))[0];
  expect((await values(plain.loss(model, b)))[0]).toBeCloseTo((await values(dpoTerms(lp, b.ref, 0.5).loss))[0], 5);
  expect((await values(withNll.loss(model, b)))[0]).toBeCloseTo(byHand, 5);
  expect(() => dpoStage(pairs, ref, { ...o, sftWeight: -1 })).toThrow(/sftWeight must be in \[0, 10\]/);
  tf.dispose([w, lp, b.x, b.y, b.w, b.ref]);
  model.dispose();
  ref.dispose();
});

test('sequence log-probs count only the answer tokens', async () => {
  await useBackend('cpu');
  const model = GPT.create(config, 1);
  const a = sftBatch([seq('Say a', 'xy')], 24, pad);
  const b = sftBatch([seq('Tell me b', 'xy')], 24, pad);
  const la = (await values(sequenceLogProbs(model, a.x, a.y, a.w)))[0];
  const lb = (await values(sequenceLogProbs(model, b.x, b.y, b.w)))[0];
  expect(la).toBeLessThan(0);
  // Same answer after a different prompt: different conditional, but the same three tokens (x, y, <|end|>) counted.
  expect(Math.abs(la - lb)).toBeLessThan(Math.abs(la));
  expect((await values(a.w)).reduce((s, v) => s + v, 0)).toBe(3);
  model.dispose();
});

test('DPO training raises the chosen answers over the rejected ones; the reference never moves', async () => {
  await useBackend('cpu');
  const policy = GPT.create(config, 3);
  const ref = policy.frozenCopy();
  const snapshot = (m: GPT) => Promise.all([...m.weights.values()].map(async (v) => Array.from(await v.data())));
  const refBefore = await snapshot(ref);
  const pairs = [pair('Case?', 'low', 'LOW'), pair('Case!', 'quiet', 'QUIET'), pair('Case.', 'soft', 'SOFT')];
  const o = { batchSize: 3, seed: 1, pad, blockSize: 32, beta: 0.5, heldOut: pairs };
  const before = await dpoMetrics(policy, ref, pairs, o);
  expect(before.margin).toBeCloseTo(0, 5); // policy = reference at the start
  const start = tf.memory().numTensors;
  await train(policy, dpoStage(pairs, ref, o), { iters: 30, clip: 1, schedule: { lr: 1e-2, minLr: 1e-3, warmup: 3, decaySteps: 30 } });
  const after = await dpoMetrics(policy, ref, pairs, o);
  expect(after.margin).toBeGreaterThan(1);
  expect(after.accuracy).toBe(1);
  expect(after.dpoLoss).toBeLessThan(before.dpoLoss / 2);
  expect(ref.trainableVariables).toHaveLength(0);
  expect(await snapshot(ref)).toEqual(refBefore);
  expect(tf.memory().numTensors).toBeLessThanOrEqual(start + policy.trainableVariables.length * 2 + 2); // AdamW moments only
  policy.dispose();
  ref.dispose();
});

test('trainDpo (the CLI\'s and the page\'s DPO) learns the pairs against a copy of the start, and frees that copy', async () => {
  await useBackend('cpu');
  const start = tf.memory().numTensors;
  const policy = GPT.create(config, 4);
  const pairs = [pair('Case?', 'low', 'LOW'), pair('Case!', 'quiet', 'QUIET'), pair('Case.', 'soft', 'SOFT')];
  const r = await trainDpo(policy, pairs, { iters: 30, lr: 1e-2, beta: 0.5, batchSize: 3, seed: 1, pad, heldOut: pairs });
  expect(r.reason).toBe('done');
  expect(r.lastEval!.accuracy).toBe(1);
  expect(r.lastEval!.margin).toBeGreaterThan(1);
  r.optimizer.dispose();
  policy.dispose();
  expect(tf.memory().numTensors).toBe(start); // the frozen reference (and its masks) went with the run
});

test('held-out preference pairs: a fifth, at most 200, none below 10 pairs', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => i);
  expect(splitHeldOut(items(9))).toEqual({ train: items(9), heldOut: [], measure: items(9) }); // reported on the training pairs
  expect(splitHeldOut(items(10)).heldOut).toEqual([8, 9]);
  expect(splitHeldOut(items(10)).measure).toEqual([8, 9]);
  expect(splitHeldOut(items(2000)).heldOut).toHaveLength(200);
  const { train, heldOut } = splitHeldOut(items(37));
  expect([train.length, heldOut.length]).toEqual([30, 7]);
  expect([...train, ...heldOut]).toEqual(items(37));
});

test('the DPO stage (the CLI and the page alike) trains on all but the held-out fifth and reports accuracy on that fifth', async () => {
  await useBackend('cpu');
  const picks = Array.from({ length: 12 }, (_, i) => ({ prompt: `Say ${i}.`, chosen: `yes ${i}`, rejected: `no ${i}` }));
  const start = GPT.create(config, 5);
  const ref = start.frozenCopy(); // the starting model, as DPO's reference
  const held = picks.slice(10).map((p) => ({ chosen: seq(p.prompt, p.chosen), rejected: seq(p.prompt, p.rejected) }));
  const settings = { iters: 3, lr: 1e-2, beta: 0.5, batchSize: 4, seed: 1 };
  const r = await runDpo(start, tok, picks, settings);
  r.optimizer.dispose();
  expect([r.trained, r.heldOut]).toEqual([10, 2]);
  const expected = await dpoMetrics(start, ref, held, { beta: 0.5, pad, blockSize: config.blockSize, batchSize: 2, seed: 1 });
  expect(r.accuracy).toBeCloseTo(expected.accuracy, 5); // measured on the 2 it did not train on
  const few = await runDpo(GPT.create(config, 5), tok, picks.slice(0, 6), settings);
  few.optimizer.dispose();
  expect([few.trained, few.heldOut]).toEqual([6, 0]); // below 10 pairs: measured on the training pairs
  expect(few.accuracy).not.toBeNull();
  start.dispose();
  ref.dispose();
});

test('the DPO stage keeps the asked share of its step: keep 0.5 ends at the mean of the start and the full run', async () => {
  await useBackend('cpu');
  const count = tf.memory().numTensors;
  const picks = Array.from({ length: 12 }, (_, i) => ({ prompt: `Say ${i}.`, chosen: `yes ${i}`, rejected: `no ${i}` }));
  const settings = { iters: 3, lr: 1e-2, beta: 0.5, batchSize: 4, seed: 1 };
  const [full, half, start] = [GPT.create(config, 5), GPT.create(config, 5), GPT.create(config, 5)];
  for (const [m, keep] of [[full, 1], [half, 0.5]] as const) (await runDpo(m, tok, picks, { ...settings, keep })).optimizer.dispose();
  expect(await halfwayMoved(full, half, start)).toBeGreaterThan(1e-3); // halfway, and the run did move the weights
  [full, half, start].forEach((m) => m.dispose());
  expect(tf.memory().numTensors).toBe(count);
});
