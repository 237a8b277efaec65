/** Shared by the preference commands (dpo, rm, rl): reading pairs and splitting off held-out pairs. */
import { existsSync, readFileSync } from 'node:fs';
import { type PreferencePair, makePreferencePairs } from '../../src/data/pairs.ts';
import { checkPreference, parseJsonl } from '../../src/eval/jsonl.ts';
import { UsageError } from './args.ts';

export function readPreferences(source: string | undefined, seed: number, count: number): PreferencePair[] {
  if (!source) throw new UsageError('--pairs builtin|FILE is required');
  if (source === 'builtin') return makePreferencePairs(seed, count);
  if (!existsSync(source)) throw new UsageError(`--pairs: no such file "${source}"`);
  const pairs = parseJsonl<PreferencePair>(readFileSync(source, 'utf8'), checkPreference, `${source} line`);
  if (!pairs.length) throw new UsageError('--pairs holds no pairs');
  return pairs;
}

/** The last tenth (at least one pair, at most 200) is held out for the eval lines. */
export function splitHeldOut<T>(items: T[]): { train: T[]; heldOut: T[] } {
  const n = Math.min(200, Math.max(1, Math.floor(items.length / 10)));
  return items.length < 2 ? { train: items, heldOut: items } : { train: items.slice(0, -n), heldOut: items.slice(-n) };
}
