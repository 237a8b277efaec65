/**
 * Shared by the fuzz tests: seeded mutations and a tally of outcomes.
 *
 * Every case ends in one of two ways the tests accept: refused with an Error
 * whose message is meant for a person (a known prefix, at most 300
 * characters, never a TypeError or RangeError from deep inside), or accepted with a result that passes the
 * caller's own check. Anything else fails the test with the case's name, so
 * a failure can be replayed from its seed and index.
 */
import { Rng } from '../../src/engine/rng.ts';

export { Rng };

export interface Tally {
  tried: number;
  refused: number;
  accepted: number;
}

export const newTally = (): Tally => ({ tried: 0, refused: 0, accepted: 0 });

/**
 * Run one case: `run` either returns (then `accept` must hold) or throws an
 * Error whose message matches `clear`. Returns which way it went.
 */
export async function outcome<T>(
  tally: Tally,
  name: string,
  clear: RegExp,
  run: () => T | Promise<T>,
  accept: (value: T) => void | Promise<void>,
): Promise<'refused' | 'accepted'> {
  tally.tried++;
  let value: T;
  try {
    value = await run();
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError || !clear.test(e.message) || e.message.length > 300) {
      throw new Error(`${name}: not a clear refusal: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    tally.refused++;
    return 'refused';
  }
  await accept(value);
  tally.accepted++;
  return 'accepted';
}

/** Characters that break parsers: quotes, braces, control and format characters, a lone surrogate. */
const NASTY = ['"', '\\', '{', '}', '[', ']', ',', ':', '\n', '\r', '\u0000', '\u2028', '\ud800', '\ufeff', '<|end|>', '<|user|>', 'é', '😀', '0x', '1e999', '-', ' '];

/** A short random string, sometimes made of NASTY pieces. */
export function randomText(rng: Rng, max = 12): string {
  const n = rng.int(max + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += rng.next() < 0.5 ? rng.pick(NASTY) : String.fromCharCode(32 + rng.int(95));
  return s;
}

/** A random JSON-able value of any type, some of them hostile. */
export function randomValue(rng: Rng, depth = 0): unknown {
  const kinds = ['null', 'bool', 'int', 'float', 'text', 'huge', 'list', 'object', 'proto', 'special'] as const;
  const kind = depth > 2 ? rng.pick(kinds.slice(0, 5)) : rng.pick(kinds);
  switch (kind) {
    case 'null': return null;
    case 'bool': return rng.next() < 0.5;
    case 'int': return rng.pick([0, -1, 1, 3, 2 ** 31, 2 ** 53, -(2 ** 40)]);
    case 'float': return rng.pick([0.5, -0.0, 1e-300, 1e308, 3.7]);
    case 'text': return randomText(rng);
    case 'huge': return 'x'.repeat(100_001);
    case 'list': return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    case 'object': return Object.fromEntries(Array.from({ length: rng.int(4) }, () => [randomText(rng, 6), randomValue(rng, depth + 1)]));
    case 'proto': return JSON.parse(`{"__proto__": {"prompt": "p", "response": "r"}, "constructor": 1, "toString": "x"}`);
    case 'special': return rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '']);
  }
}

/** Flip one random bit in bytes [from, to). */
export function flipBit(bytes: Uint8Array, rng: Rng, from: number, to: number): Uint8Array {
  const out = bytes.slice();
  out[from + rng.int(to - from)] ^= 1 << rng.int(8);
  return out;
}
