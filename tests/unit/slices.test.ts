/**
 * The page's pairs, encoded for the worker in slices of short tasks (no long
 * task as SFT starts): the same text as encoding them at once, and the work
 * really cut where the budget says, never in the caller's own task.
 */
import { expect, test } from 'vitest';
import { encodePairs, decodePairs } from '../../workers/api.ts';
import { encodePairsInSlices } from '../../src/app/slices.ts';

const PAIRS = [
  { prompt: 'Write a haiku about "autumn".', response: 'red leaves\nfall — slowly\n' },
  { prompt: 'Ünïcode ☃ and a tab\t', response: '\\ back\\slash' },
  { prompt: '', response: '' },
];

test('the slices join into the same text as encodePairs, which decodes back to the pairs', async () => {
  for (const pairs of [PAIRS, [], PAIRS.slice(0, 1)]) {
    const text = await encodePairsInSlices(pairs, 0, async () => undefined);
    expect(text).toBe(encodePairs(pairs));
    expect(decodePairs(text)).toEqual(pairs);
  }
});

test('it pauses before the first slice and whenever a slice spends its budget', async () => {
  const pauses = async (budget: number) => {
    let n = 0;
    await encodePairsInSlices(PAIRS, budget, async () => void n++);
    return n;
  };
  expect(await pauses(Infinity)).toBe(1); // none of the work in the caller's task
  expect(await pauses(-1)).toBe(PAIRS.length); // a spent budget: one pair a slice
  let done = false;
  const encoding = encodePairsInSlices(PAIRS).then(() => (done = true));
  await Promise.resolve();
  expect(done).toBe(false); // the caller's task returns before the encoding
  await encoding;
});

test('anything but JSON text is refused with a message', () => {
  expect(() => decodePairs(new Uint8Array([91, 93]) as unknown as string)).toThrow('The pairs must arrive as JSON text.');
  expect(() => decodePairs('[{')).toThrow('The pairs could not be read: not valid JSON.');
});
