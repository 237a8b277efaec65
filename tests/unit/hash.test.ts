/** The URL hash: a shared link's setup comes back; hostile or odd hashes are ignored, never thrown. */
import { expect, test } from 'vitest';
import { formatHash, parseHash } from '../../src/app/hash.ts';
import { decimalIn, parseDecimal } from '../../src/engine/numbers.ts';

test('a hash the page wrote reads back as the same setup', () => {
  const setup = { preset: 'small', iters: 300, lr: 0.0003, seed: 7, sftIters: 200, sftLr: 5e-6, step: 3000, prompt: 'Write a haiku & more = yes', threads: 2 };
  expect(parseHash(formatHash(setup))).toEqual(setup);
});

test.each(['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
  '#%s=1 is an unknown key, ignored without throwing', (key) => {
    const s = parseHash(`#${key}=1&seed=3`);
    expect(s).toEqual({ seed: 3 });
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype); // no prototype swapped in
  });

test('numbers must be plain decimals in range, integers where counted', () => {
  expect(parseHash('#iters=0x10&seed=0b11&step=%203%20&lr=Infinity')).toEqual({});
  expect(parseHash('#iters=2.5&seed=1e999&sftIters=-4&sftLr=1')).toEqual({});
  expect(parseHash('#iters=2e2&lr=5e-4')).toEqual({ iters: 200, lr: 5e-4 });
  expect(parseHash('#threads=0&threads=9&threads=1.5')).toEqual({}); // wasm threads: 1 to 8
  expect(parseHash('#threads=8')).toEqual({ threads: 8 });
  expect(parseHash('#preset=huge&prompt=' + 'x'.repeat(501))).toEqual({});
  expect(parseHash('#' + 'a=1&'.repeat(5000))).toEqual({});
  expect(parseHash('#%E0%A4%A=1&seed=%ZZ')).toEqual({});
});

test('parseDecimal refuses what Number() would quietly accept', () => {
  for (const bad of ['0x3', '0b11', '0o7', ' 3 ', '', '3px', 'Infinity', 'NaN', '1_000', '--1', '.']) {
    expect(parseDecimal(bad), bad).toEqual({ problem: 'not a decimal number' });
  }
  expect(parseDecimal('1e999')).toEqual({ problem: 'too large to represent' });
  expect(parseDecimal('-2.5e-3')).toEqual({ value: -0.0025 });
  expect(decimalIn('3', 1, 5, true)).toBe(3);
  expect(decimalIn('3.5', 1, 5, true)).toBeUndefined();
  expect(decimalIn('6', 1, 5)).toBeUndefined();
});
