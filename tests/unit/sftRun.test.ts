/** The interrupted SFT run kept for resuming: cut at its last probe round, and checked when it comes back. */
import { expect, test } from 'vitest';
import { restoreRun, savedRun } from '../../src/app/sftRun.ts';

const settings = { iters: 10, lr: 1e-3, batchSize: 8, probeEvery: 2, seed: 1 };
const round = (step: number) => ({ step, outputs: [{ prompt: 'Write a haiku about autumn.', text: 'leaves', pass: false, reasons: ['1 lines (a haiku has 3)'] }] });

test('the saved curve stops at the step the model was saved at', () => {
  const run = savedRun(settings, 4, [1, 2, 3, 4, 5], [3, 2.5, 2.2, 2, 1.9], [round(0), round(2), round(4)]);
  expect(run.steps).toEqual([1, 2, 3, 4]);
  expect(run.loss).toEqual([3, 2.5, 2.2, 2]);
  expect(restoreRun(JSON.parse(JSON.stringify(run)))).toEqual(run);
});

test('a record Heed did not write, or one with nothing left to resume, is not offered', () => {
  const good = savedRun(settings, 4, [1, 2, 3, 4], [3, 2.5, 2.2, 2], [round(0)]);
  expect(restoreRun(undefined)).toBeNull();
  expect(restoreRun({ ...good, done: 10 })).toBeNull(); // finished
  expect(restoreRun({ ...good, done: 0 })).toBeNull(); // nothing trained yet
  expect(restoreRun({ ...good, loss: [1, 2] })).toBeNull();
  expect(restoreRun({ ...good, steps: [1, 2, 3, NaN] })).toBeNull();
  expect(restoreRun({ ...good, rounds: [{ step: 0, outputs: [{ prompt: 5 }] }] })).toBeNull();
  expect(restoreRun({ ...good, lr: '0.001' })).toBeNull();
});
