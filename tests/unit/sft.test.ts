/** The SFT stage: the mask decides what trains, padding never does, and the loss falls. */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { renderChat } from '../../src/data/chat.ts';
import { GPT } from '../../src/engine/model.ts';
import { fitsBlock, maskedLoss, sftBatch, sftStage, unfitNote, unknownNote } from '../../src/engine/sft.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { train } from '../../src/engine/train.ts';
import { useBackend, values } from './helpers.ts';

const tok = CharTokenizer.ascii();
const config = { vocabSize: tok.vocabSize, blockSize: 48, nLayer: 1, nHead: 2, nEmbd: 16 };
const pad = tok.special('<|pad|>');
const seq = (prompt: string, answer: string) =>
  renderChat(tok, [{ role: 'user', content: prompt }, { role: 'assistant', content: answer }]);

test('changing a prompt token does not change the loss; changing an answer token does', async () => {
  await useBackend('cpu');
  const model = GPT.create(config, 1);
  const loss = async (s: ReturnType<typeof seq>) => (await values(tf.tidy(() => maskedLoss(model, sftBatch([s], 40, pad)))))[0];
  const base = seq('Write a haiku.', 'red leaves');
  const otherAnswer = seq('Write a haiku.', 'red leafs');
  // Change one target inside the prompt (weight 0), keeping every input the same.
  const a = sftBatch([base], 40, pad);
  const b = sftBatch([base], 40, pad);
  const y = await values(b.y);
  const w = await values(b.w);
  const i = w.indexOf(1) - 3; // a position whose target is a prompt token
  expect(w[i]).toBe(0);
  y[i] = (y[i] + 1) % tok.vocabSize;
  const b2 = { ...b, y: tf.tensor2d(Int32Array.from(y), [1, 40], 'int32') };
  const la = (await values(maskedLoss(model, a)))[0];
  const lb = (await values(maskedLoss(model, b2)))[0];
  expect(lb).toBe(la);
  expect(await loss(otherAnswer)).not.toBeCloseTo(await loss(base), 6);
  model.dispose();
});

test('weights are 1 exactly on the answer and its end token; padding has weight 0', async () => {
  await useBackend('cpu');
  const s = seq('Hi', 'Yo');
  const b = sftBatch([s], 16, pad);
  const w = await values(b.w);
  const y = await values(b.y);
  const trained = y.filter((_, i) => w[i] === 1);
  expect(tok.decode(trained)).toBe('Yo<|end|>');
  expect(w.slice(s.ids.length - 1).every((v) => v === 0)).toBe(true);
});

test('SFT on a few pairs drives the answer loss down', async () => {
  await useBackend('cpu');
  const model = GPT.create(config, 2);
  const pairs = [['Say a', 'aaa'], ['Say b', 'bbb'], ['Say c', 'ccc']].map(([p, r]) => seq(p, r));
  const stage = sftStage(pairs, { batchSize: 3, seed: 1, pad, blockSize: 16 });
  const losses: number[] = [];
  await train(model, stage, { iters: 60, clip: 1, schedule: { lr: 1e-2, minLr: 1e-3, warmup: 5, decaySteps: 60 }, onProgress: (p) => losses.push(p.loss) });
  expect(losses.at(-1)!).toBeLessThan(losses[0] / 3);
  expect(() => sftStage([], { batchSize: 1, seed: 1, pad, blockSize: 16 })).toThrow(/at least one example/);
  model.dispose();
});

test('mixing in pretraining text gives that share of rows, trained on every token', async () => {
  await useBackend('cpu');
  const pairs = [seq('Say a', 'aaa')];
  const tokens = Int32Array.from(tok.encode('plain pretraining text about the moon. '.repeat(20)));
  const stage = sftStage(pairs, { batchSize: 200, seed: 3, pad, blockSize: 16, mix: { tokens, share: 0.25 } });
  const b = stage.nextBatch(0);
  const w = await values(b.w);
  let plain = 0;
  for (let r = 0; r < 200; r++) if (w.slice(r * 16, r * 16 + 16).every((v) => v === 1)) plain++;
  expect(plain).toBeGreaterThan(30);
  expect(plain).toBeLessThan(70);
  expect(() => sftStage(pairs, { batchSize: 2, seed: 1, pad, blockSize: 16, mix: { tokens, share: 1 } })).toThrow(/share/);
});

test('batches hold sequences of similar length, padded to the longest (rounded up to 32), and an epoch visits every pair once', async () => {
  await useBackend('cpu');
  const pairs = Array.from({ length: 64 }, (_, i) => seq(`Say ${i}`, 'x'.repeat(1 + ((i * 37) % 90))));
  const stage = sftStage(pairs, { batchSize: 4, seed: 5, pad, blockSize: 128 });
  const seen = new Map<string, number>();
  let padded = 0;
  for (let b = 0; b < 16; b++) {
    const batch = stage.nextBatch(b);
    const [B, T] = batch.x.shape;
    expect(B).toBe(4);
    const x = await values(batch.x);
    const lengths: number[] = [];
    for (let r = 0; r < B; r++) {
      const ids = Array.from(x.slice(r * T, r * T + T)).filter((id) => id !== pad);
      seen.set(tok.decode(ids), (seen.get(tok.decode(ids)) ?? 0) + 1);
      lengths.push(ids.length);
    }
    expect(T).toBe(Math.min(128, Math.ceil(Math.max(...lengths) / 32) * 32));
    padded += T * B - lengths.reduce((a, n) => a + n, 0);
    tf.dispose([batch.x, batch.y, batch.w]);
  }
  expect(seen.size).toBe(64);
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
  // Batches drawn in shuffled order would pad about 42 tokens a row here; sorted pools about 16.
  expect(padded / (16 * 4)).toBeLessThan(25);
});

test('pairs whose answer starts past the block are left out and counted; a run where none fit is refused', async () => {
  await useBackend('cpu');
  const fits = seq('Say a', 'aaa');
  const late = seq('x'.repeat(20), 'late answer'); // the answer starts at token 24 of a block of 16
  expect([fitsBlock(late, 16), fitsBlock(late, 32), fitsBlock(fits, 16)]).toEqual([false, true, true]);
  const stage = sftStage([fits, late, late], { batchSize: 4, seed: 1, pad, blockSize: 16 });
  expect({ unfit: stage.unfit, examples: stage.examples }).toEqual({ unfit: 2, examples: 3 });
  expect(unfitNote(stage, 16)).toMatch(/^2 of 3 pairs were left out: their answer starts after the first 16 tokens/);
  expect(unfitNote(sftStage([fits], { batchSize: 1, seed: 1, pad, blockSize: 16 }), 16)).toBe('');
  for (let i = 0; i < 5; i++) {
    const b = stage.nextBatch(i);
    const w = await values(b.w);
    expect(w.some((v) => v === 1)).toBe(true); // every batch trains on something
    tf.dispose(b);
  }
  expect(() => sftStage([late], { batchSize: 2, seed: 1, pad, blockSize: 16 })).toThrow(/none of the 1 SFT examples has an answer within the model's block of 16 tokens/);
});

test('characters the tokenizer does not know are counted for the person running SFT', () => {
  expect(unknownNote(tok, ['caf\u00e9', 'na\u00efve \u00e9t\u00e9'])).toBe("4 characters outside the model's vocabulary were read as <|unk|>.");
  expect(unknownNote(tok, ['plain'])).toBe('');
});
