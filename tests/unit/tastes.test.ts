/**
 * Tastes and steering: the taste checks, the pair chooser and the scripted
 * learner; then, on a tiny model taught four answers (one with a colour), a
 * reward model trained on a scripted learner's noisy picks orders fresh pairs
 * better than chance, RL by that reward model raises the taste share, and the
 * KL it reports is never negative.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { renderChat, renderPrompt } from '../../src/data/chat.ts';
import type { PreferenceSequences } from '../../src/engine/dpo.ts';
import { GPT } from '../../src/engine/model.ts';
import { rewardAccuracy, trainRewardModel } from '../../src/engine/rewardModel.ts';
import { type WordPair, strongestWords, trainWordRewardModel, wordReward, wordRewardAccuracy } from '../../src/engine/wordRewardModel.ts';
import { WORD_REWARD_MODEL } from '../../src/stages/settings.ts';
import { RlTrainer, answerKl } from '../../src/engine/rl.ts';
import { Rng } from '../../src/engine/rng.ts';
import { paddedLength, sftBatch, sftStage } from '../../src/engine/sft.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { train } from '../../src/engine/train.ts';
import { modelReward } from '../../src/eval/rewards.ts';
import { sampleAnswers } from '../../src/eval/steer.ts';
import { TASTES, choosePair, colourTaste, gentleTaste, peopleTaste, scriptedPick, tasteById, tasteShare, wordTaste } from '../../src/eval/tastes.ts';
import { useBackend, values } from './helpers.ts';

test('each taste check sees its feature in answers the shipped models write, and not elsewhere', () => {
  expect(colourTaste.has('* The white barn of the anchor')).toBe(true);
  expect(colourTaste.has('roof in the garden\nthe bus goes by the corner\nand then it is gone')).toBe(false);
  expect(colourTaste.has('Redwood and bluebells')).toBe(false); // whole words only
  expect(gentleTaste.has('hawk by the window\nmy friend and I sit and wait\nand the day goes on')).toBe(true);
  expect(gentleTaste.has('shampoo through the day\nwe sit and think of nothing\nand then it is gone')).toBe(false);
  expect(gentleTaste.score('warm and soft, then gone')).toBe(1);
  expect(peopleTaste.has('tiara at rest\na monk rests by the deep town\nthe town knocks till dawn')).toBe(true);
  expect(peopleTaste.has('tower by the hill\nthe town calls in the thin town\nthe town nods till dawn')).toBe(false);
  expect(peopleTaste.has('a woman of the manor')).toBe(true); // not "man" inside "manor"
  expect(peopleTaste.score('my friend and the cook')).toBe(2);
  const garden = tasteById('word:Garden');
  expect(garden.id).toBe('word:garden');
  expect(garden.has('yam in the garden')).toBe(true);
  expect(garden.has('gardens of stone')).toBe(false);
  expect(tasteShare(garden, ['in the garden', 'by the gate', 'garden', 'x'])).toBe(0.5);
  expect(TASTES.map((t) => t.id)).toEqual(['colour', 'people', 'gentle']);
  expect(() => tasteById('sweetness')).toThrow(/unknown taste "sweetness".*colour/);
  expect(() => wordTaste('two words')).toThrow(/2 to 20 letters/);
});

test('the pair to rate differs on the taste when any does; the scripted learner picks by it, about 10 % flipped', () => {
  const answers = ['a grey sky', 'a dull sky', 'a dull sky', 'the old oak tree stands'];
  const pair = choosePair(answers, colourTaste)!;
  expect(colourTaste.has(answers[pair[0]])).not.toBe(colourTaste.has(answers[pair[1]]));
  expect(choosePair(['a dull sky', 'an old oak'], colourTaste)).toBeNull();
  expect(choosePair(['same', 'same'])).toBeNull();
  expect(choosePair(['a dull sky', 'a dull day', 'an old oak'])).not.toBeNull();
  // Among pairs that differ on the taste: the most different one, or asked, the closest (a minimal pair).
  const near = ['a red sky at dawn over the hill', 'the old oak tree stands alone', 'a grey sky at dawn over the hill'];
  const sorted = (p: [number, number] | null) => p && [...p].sort();
  expect(sorted(choosePair(['a dull sky at dawn over the hill', ...near], colourTaste, 'similar'))).toEqual([0, 1]);
  expect(choosePair(['a dull sky at dawn over the hill', ...near], colourTaste)).toContain(2); // the oak: nothing shared
  expect(sorted(choosePair(['a dull sky', 'a dull day', 'the old oak tree stands']))).toEqual([0, 2]);
  const rng = new Rng(3);
  expect(scriptedPick(colourTaste, 'dull', 'old', rng)).toBeNull();
  const picks = Array.from({ length: 2000 }, () => scriptedPick(colourTaste, 'a dull sky', 'a red sky', rng, 0.1));
  const flipped = picks.filter((p) => p === 0).length / picks.length;
  expect(flipped).toBeGreaterThan(0.07);
  expect(flipped).toBeLessThan(0.13);
});

// A tiny model taught four answers to "Go", one of them with a colour word.
const tok = CharTokenizer.ascii();
const pad = tok.special('<|pad|>');
const config = { vocabSize: tok.vocabSize, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16 };
const ANSWERS = ['red sky', 'dry hay', 'old oak', 'big fig'];
const seq = (answer: string) => renderChat(tok, [{ role: 'user', content: 'Go' }, { role: 'assistant', content: answer }]);

async function tinyTuned(): Promise<GPT> {
  const model = GPT.create(config, 7);
  const rows = Array.from({ length: 64 }, (_, i) => seq(ANSWERS[i % 4]));
  const r = await train(model, sftStage(rows, { batchSize: 16, seed: 1, pad, blockSize: 32 }), { iters: 150, clip: 1, schedule: { lr: 1e-2, minLr: 1e-3, warmup: 10, decaySteps: 150 } });
  r.optimizer.dispose();
  return model;
}

/** The scripted learner's picks on pairs sampled from `model` (flip 0: the taste's true judgement). */
async function scriptedPicks(model: GPT, n: number, seed: number, flip: number): Promise<WordPair[]> {
  const rng = new Rng(seed);
  const out: WordPair[] = [];
  for (let i = 0; out.length < n && i < 400; i++) {
    const answers = await sampleAnswers(model, tok, 'Go', 4, seed * 1000 + i * 4, 12);
    const pair = choosePair(answers, colourTaste);
    if (!pair) continue;
    const pick = scriptedPick(colourTaste, answers[pair[0]], answers[pair[1]], rng, flip);
    if (pick !== null) out.push({ chosen: answers[pair[pick]], rejected: answers[pair[1 - pick]] });
  }
  return out;
}
const scriptedPairs = async (model: GPT, n: number, seed: number, flip: number): Promise<PreferenceSequences[]> =>
  (await scriptedPicks(model, n, seed, flip)).map((p) => ({ chosen: seq(p.chosen), rejected: seq(p.rejected) }));

const colourShare = async (model: GPT, seed: number) => tasteShare(colourTaste, await sampleAnswers(model, tok, 'Go', 48, seed, 12));

test('a trunk reward model from 24 noisy scripted picks orders fresh pairs well above chance, and RL by it raises the taste share with KL >= 0', async () => {
  await useBackend('wasm'); // cpu gives the same result in ~100 s on two cores
  const model = await tinyTuned();
  const before = await colourShare(model, 500);
  expect(before).toBeGreaterThan(0.05); // the model sometimes writes the colour: there is something to prefer
  expect(before).toBeLessThan(0.5);
  const picks = await scriptedPairs(model, 24, 1, 0.1);
  const fresh = await scriptedPairs(model, 20, 2, 0);
  expect(picks.length).toBe(24);
  const trunkBefore = await values(model.weights.get('wte')!);
  const { rm, result } = await trainRewardModel(model.copy(), picks, { iters: 60, lr: 1e-2, batchSize: 8, seed: 1, pad, readout: 'peak' });
  expect(await values(rm.trunk.weights.get('wte')!)).toEqual(trunkBefore); // the 'peak' read-out trains its head only
  result.optimizer.dispose();
  const { rmAccuracy } = await rewardAccuracy(rm, fresh, { batchSize: 8, seed: 1, pad, blockSize: 32 });
  expect(rmAccuracy).toBeGreaterThanOrEqual(0.8);

  const ref = model.frozenCopy();
  const rl = new RlTrainer(model, ref, tok, { k: 8, promptsPerStep: 2, beta: 0.01, temperature: 1, maxNewTokens: 12, seed: 1 });
  const prompts = [{ ids: renderPrompt(tok, 'Go'), reward: modelReward(rm, tok, 'Go') }];
  for (let i = 0; i < 12; i++) {
    const s = (await rl.trainStep(prompts, { lr: 5e-3, minLr: 5e-3, warmup: 0, decaySteps: 12 }))!;
    expect(s.kl).toBeGreaterThanOrEqual(0);
  }
  const after = await colourShare(model, 500);
  expect(after).toBeGreaterThan(before + 0.3);
  [rl, ref, rm, model].forEach((m) => m.dispose());
}, 120_000);

test("the page's reward model (one weight per word) from 24 noisy scripted picks orders fresh pairs, and RL by it raises the taste share", async () => {
  await useBackend('wasm');
  const model = await tinyTuned();
  const before = await colourShare(model, 500);
  const picks = await scriptedPicks(model, 24, 1, 0.1);
  const fresh = await scriptedPicks(model, 20, 2, 0);
  const { model: rm } = trainWordRewardModel(picks, WORD_REWARD_MODEL);
  expect(wordRewardAccuracy(rm, fresh)).toBeGreaterThanOrEqual(0.9);
  expect(strongestWords(rm, 1).liked[0][0]).toBe('red');
  const ref = model.frozenCopy();
  const rl = new RlTrainer(model, ref, tok, { k: 8, promptsPerStep: 2, beta: 0.01, temperature: 1, maxNewTokens: 12, seed: 1, whiten: true });
  const prompts = [{ ids: renderPrompt(tok, 'Go'), reward: (a: string) => wordReward(rm, a) }];
  for (let i = 0; i < 12; i++) await rl.trainStep(prompts, { lr: 5e-3, minLr: 5e-3, warmup: 0, decaySteps: 12 });
  expect(await colourShare(model, 500)).toBeGreaterThan(before + 0.3);
  [rl, ref, model].forEach((m) => m.dispose());
}, 120_000);

test('the KL estimate is zero against itself and non-negative per answer against another model', async () => {
  await useBackend('cpu');
  const a = GPT.create(config, 1);
  const b = GPT.create(config, 2);
  const rows = ANSWERS.map(seq);
  const { x, y, w } = sftBatch(rows, paddedLength(rows, 32), pad);
  const self = await values(tf.tidy(() => answerKl(a, a, x, y, w)));
  const other = await values(tf.tidy(() => answerKl(a, b, x, y, w)));
  self.forEach((k) => expect(k).toBeCloseTo(0, 5));
  other.forEach((k) => expect(k).toBeGreaterThan(0));
  tf.dispose([x, y, w]);
  [a, b].forEach((m) => m.dispose());
});
