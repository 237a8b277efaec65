/**
 * What comes back from IndexedDB is checked like any other input: a record
 * written by an older Heed, by another tab mid-write or by hand in the
 * devtools must not crash a panel (with its own Reset button unreachable).
 * Bad records are dropped and counted, and the person is told how many.
 */
import { MAX_TEXT_CHARS } from '../eval/jsonl.ts';

/** Most records a restore keeps; more is not something Heed wrote. */
export const MAX_RESTORED = 100_000;

export interface Restored<T> {
  records: T[];
  dropped: number;
  /** For the page's notice; '' when everything came back. */
  notice: string;
}

const isText = (v: unknown, nonEmpty: boolean) => typeof v === 'string' && v.length <= MAX_TEXT_CHARS && (!nonEmpty || v.trim() !== '');

/**
 * The records of a saved list whose `fields` are all text (non-empty when
 * asked), copied with those fields only; anything else is dropped and counted.
 */
export function restoreRecords<T>(saved: unknown, fields: readonly string[], what: string, nonEmpty = false): Restored<T> {
  if (saved === undefined || saved === null) return { records: [], dropped: 0, notice: '' };
  if (!Array.isArray(saved)) return { records: [], dropped: 1, notice: `Your saved ${what} could not be read and were set aside.` };
  const records: T[] = [];
  for (const r of saved.slice(0, MAX_RESTORED)) {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) continue;
    const o = r as Record<string, unknown>;
    if (!fields.every((f) => isText(o[f], nonEmpty))) continue;
    records.push(Object.fromEntries(fields.map((f) => [f, o[f]])) as T);
  }
  const dropped = saved.length - records.length;
  const notice = dropped ? `Restored ${records.length} saved ${what}; ${dropped} damaged ${dropped === 1 ? 'record was' : 'records were'} dropped.` : '';
  return { records, dropped, notice };
}
