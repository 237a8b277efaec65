/** Restored IndexedDB records and worker requests are checked: bad records are dropped and counted, bad calls named. */
import { expect, test } from 'vitest';
import { restoreRecords } from '../../src/app/restore.ts';
import { GPT } from '../../src/engine/model.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { TrainControl } from '../../src/engine/train.ts';
import { preferenceCalls } from '../../workers/preferences.ts';
import { checkPairs, checkPreferences, checkRange, checkSuite, checkText } from '../../workers/validate.ts';
import { useBackend } from './helpers.ts';

test('saved pairs: good records come back (empty text allowed, extra fields dropped), bad ones are counted', () => {
  const saved = [null, { prompt: 5 }, { prompt: 'a', response: '' }, 'x', [], { prompt: 'b', response: 'c', extra: 1 }, { prompt: 'p', response: 'r'.repeat(100_001) }];
  const r = restoreRecords(saved, ['prompt', 'response'], 'pairs');
  expect(r.records).toEqual([{ prompt: 'a', response: '' }, { prompt: 'b', response: 'c' }]);
  expect(r.dropped).toBe(5);
  expect(r.notice).toBe('Restored 2 saved pairs; 5 damaged records were dropped.');
});

test('saved ratings must have non-empty text; a non-list is set aside; nothing saved is no notice', () => {
  const r = restoreRecords([null, 5, { prompt: 'p', chosen: 'a', rejected: 'b' }, { prompt: 'p', chosen: ' ', rejected: 'b' }], ['prompt', 'chosen', 'rejected'], 'ratings', true);
  expect(r.records).toHaveLength(1);
  expect(r.notice).toBe('Restored 1 saved ratings; 3 damaged records were dropped.');
  expect(restoreRecords({ length: 3 }, ['prompt'], 'ratings')).toEqual({ records: [], dropped: 1, notice: 'Your saved ratings could not be read and were set aside.' });
  expect(restoreRecords(undefined, ['prompt'], 'pairs')).toEqual({ records: [], dropped: 0, notice: '' });
  expect(restoreRecords([{ prompt: 'x' }], ['prompt'], 'pairs').notice).toBe('');
});

test('worker requests: each bad field is named, before any work', () => {
  expect(() => checkPairs([{ prompt: 'a', response: 'b' }, null])).toThrow('pairs 2 is not a record (got null).');
  expect(() => checkPairs([{ prompt: 5, response: 'b' }])).toThrow('pairs 1: "prompt" must be text (got 5).');
  expect(() => checkPairs('nope')).toThrow('The pairs must be a list (got "nope").');
  expect(() => checkPreferences([{ prompt: 'p', chosen: 'a' }])).toThrow('rated pairs 1: "rejected" must be text (got undefined).');
  expect(checkPairs([{ prompt: 'a', response: 'b', x: 1 }])).toEqual([{ prompt: 'a', response: 'b' }]);
  expect(() => checkRange('Seed', NaN, 0, 10, true)).toThrow('Seed must be an integer between 0 and 10 (got NaN).');
  expect(() => checkRange('Steps', '5', 1, 10, true)).toThrow('(got "5")');
  expect(() => checkSuite('__proto__')).toThrow(/Unknown check suite "__proto__" \(choose heldout/);
  expect(checkSuite('haiku-heldout')).toBe('haiku-heldout');
  expect(() => checkText('The prompt', 'x'.repeat(100_001))).toThrow(/100,001 characters long; the limit is 100,000/);
});

test('restored garbage ratings reach the reward model as a clear error, not a TypeError', async () => {
  await useBackend('cpu');
  const tokenizer = CharTokenizer.ascii();
  const model = GPT.create({ vocabSize: tokenizer.vocabSize, blockSize: 16, nLayer: 1, nHead: 1, nEmbd: 8 }, 1);
  let runs = 0;
  const calls = preferenceCalls({ requireModel: () => ({ model, tokenizer }), begin: () => (runs++, new TrainControl()), finish: () => undefined });
  const noop = () => undefined;
  await expect(calls.trainRewardModel({ pairs: [null, 5] as never })).rejects.toThrow('rated pairs 1 is not a record (got null).');
  await expect(calls.dpo({ pairs: [], iters: 1, lr: 1e-4, seed: -1, beta: 0.1 }, noop)).rejects.toThrow(/Seed must be an integer/);
  await expect(calls.rl({ reward: 'rm', iters: 1, k: 1, beta: 0.1, lr: 1e-5, seed: 1 }, noop)).rejects.toThrow(/Samples per prompt must be an integer between 2 and 64/);
  await expect(calls.rl({ reward: 'rm', iters: 1, k: 4, beta: 0.1, lr: 1e-5, seed: 1, temperature: 0 }, noop)).rejects.toThrow(/Temperature must be/);
  await expect(calls.rl({ reward: 'rm', iters: 1, k: 4, beta: 0.1, lr: 1e-5, seed: 1 }, noop)).rejects.toThrow('Train a reward model first');
  await expect(calls.samplePair(-1, 1, '')).rejects.toThrow(/Prompt index/);
  expect(runs).toBe(0); // nothing started
  model.dispose();
});
