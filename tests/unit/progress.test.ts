/** Worker progress is batched: few messages to the page, yet every step's loss arrives, in order. */
import { describe, expect, test } from 'vitest';
import type { Progress } from '../../src/engine/train.ts';
import { type ProgressUpdate, batchProgress } from '../../workers/progress.ts';

const step = (s: number): Progress => ({ stage: 'sft', step: s, iters: 100, loss: 10 - s / 10, lr: 1e-3, gradNorm: 1, tokensPerSec: 1, msPerStep: 5, elapsedMs: 5 * s });

describe('batchProgress', () => {
  test('sends at most one update per interval, and every point once, in order, after flush', async () => {
    const sent: ProgressUpdate[] = [];
    let clock = 0;
    const b = batchProgress((u) => sent.push(u), 250, () => clock);
    for (let s = 1; s <= 100; s++) {
      clock = s * 10; // a step every 10 ms: 1 s of training
      b.push(step(s));
    }
    expect(sent.length).toBeLessThanOrEqual(5); // 1,000 ms / 250 ms, plus the first
    await b.flush();
    expect(sent.flatMap((u) => u.points.map(([s]) => s))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(sent.at(-1)!.step).toBe(100);
    expect(sent.every((u) => u.step === u.points.at(-1)![0])).toBe(true); // each update's figures are its last point's
    const before = sent.length;
    await b.flush(); // nothing pending: nothing sent
    expect(sent.length).toBe(before);
  });

  test('flush waits for the page to take the update', async () => {
    let taken = false;
    const b = batchProgress(() => new Promise<void>((r) => setTimeout(() => ((taken = true), r()), 10)), 1e9, () => 0);
    b.push(step(1));
    await b.flush();
    expect(taken).toBe(true);
  });

  test('a page that has gone away does not stop the run', async () => {
    const b = batchProgress(() => Promise.reject(new Error('gone')), 0);
    expect(() => b.push(step(1))).not.toThrow();
    await new Promise((r) => setTimeout(r, 0)); // an unhandled rejection would fail the test run
  });
});
