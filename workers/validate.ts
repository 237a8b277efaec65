/**
 * Checks on every request the page sends the worker. The page is ours, but
 * what it sends comes from a person's typing, a restored IndexedDB record or
 * an imported file; a bad value gets a message naming the field (never a
 * raw TypeError from deep inside a training loop), before any work starts.
 */
import { MAX_TEXT_CHARS } from '../src/eval/jsonl.ts';
import { SUITE_NAMES, type SuiteName } from '../src/eval/suiteNames.ts';
import type { Param } from '../src/stages/params.ts';
import type { Pair, PreferencePair } from './api.ts';

/** Most records one call takes: far more than a person rates or edits, few enough to keep a tab alive. */
export const MAX_RECORDS = 100_000;

/** A number within [lo, hi] (an integer when asked), or a message naming it. */
export function checkRange(name: string, v: unknown, lo: number, hi: number, integer = false): number {
  // An emptied number field binds as null: say so, not "(got null)".
  if (v === null || v === undefined || v === '') throw new Error(`${name} is empty: type ${integer ? 'a whole number' : 'a number'} between ${lo} and ${hi}.`);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new Error(`${name} must be ${integer ? 'an integer ' : 'a number '}between ${lo} and ${hi} (got ${describe(v)}).`);
  }
  return v;
}

/** A setting as its stage's table has it (src/stages/params.ts): named by its label, within its range. */
export const checkParam = (p: Param, v: unknown): number => checkRange(p.label, v, p.min, p.max, p.integer);

export const checkSeed = (v: unknown) => checkRange('Seed', v, 0, 2 ** 31, true);

/** A string of at most MAX_TEXT_CHARS characters. */
export function checkText(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new Error(`${name} must be text (got ${describe(v)}).`);
  if (v.length > MAX_TEXT_CHARS) throw new Error(`${name} is ${v.length.toLocaleString('en')} characters long; the limit is ${MAX_TEXT_CHARS.toLocaleString('en')}.`);
  return v;
}

export function checkSuite(v: unknown): SuiteName {
  if (typeof v !== 'string' || !(SUITE_NAMES as readonly string[]).includes(v)) {
    throw new Error(`Unknown check suite ${describe(v)} (choose ${SUITE_NAMES.join(', ')}).`);
  }
  return v as SuiteName;
}

/** A list of records, each checked; the first bad one is named by its position. */
function checkList<T>(what: string, v: unknown, fields: readonly string[]): T[] {
  if (!Array.isArray(v)) throw new Error(`The ${what} must be a list (got ${describe(v)}).`);
  if (v.length > MAX_RECORDS) throw new Error(`Too many ${what}: ${v.length.toLocaleString('en')}, the limit is ${MAX_RECORDS.toLocaleString('en')}.`);
  return v.map((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new Error(`${what} ${i + 1} is not a record (got ${describe(r)}).`);
    for (const f of fields) checkText(`${what} ${i + 1}: "${f}"`, (r as Record<string, unknown>)[f]);
    return Object.fromEntries(fields.map((f) => [f, (r as Record<string, unknown>)[f]])) as T;
  });
}

export const checkPairs = (v: unknown) => checkList<Pair>('pairs', v, ['prompt', 'response']);
export const checkPreferences = (v: unknown) => checkList<PreferencePair>('rated pairs', v, ['prompt', 'chosen', 'rejected']);

/** A value as a short phrase for a message. */
function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'a list' : 'an object';
}

/** The pretraining corpus choice: the built-in corpus, or non-empty text of the person's own. */
export function checkCorpus(source: unknown, text: unknown): void {
  if (source !== 'builtin' && source !== 'text') throw new Error(`Unknown corpus source ${JSON.stringify(source)}.`);
  if (source === 'builtin') return;
  if (typeof text !== 'string') throw new Error('The training text must be text.');
  if (!text.trim()) throw new Error('The training text is empty: paste or upload some text, or use the built-in corpus.');
}
