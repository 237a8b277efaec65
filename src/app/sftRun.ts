/**
 * An SFT run in progress, kept in IndexedDB by the page after each probe
 * round (the worker autosaves the model just before it), so a reload or a
 * closed tab mid-run can resume it with its loss curve and probe timeline.
 * Only the curve up to the last probe round is kept: the model on disk is
 * from that step. What comes back is checked like any restored record.
 */
import type { ProbeRound } from '../../workers/api.ts';

export const RUN_KEY = 'sftRun';

export interface SavedRun {
  iters: number;
  lr: number;
  batchSize: number;
  probeEvery: number;
  seed: number;
  /** Steps done when the model was last saved (the last probe round's step). */
  done: number;
  steps: number[];
  loss: number[];
  rounds: ProbeRound[];
}

/** The run as saved after the probe round at step `done`: the curve cut at that step. */
export function savedRun(settings: Omit<SavedRun, 'done' | 'steps' | 'loss' | 'rounds'>, done: number, steps: readonly number[], loss: readonly number[], rounds: ProbeRound[]): SavedRun {
  let n = steps.length;
  while (n > 0 && steps[n - 1] > done) n--;
  return { ...settings, done, steps: steps.slice(0, n), loss: loss.slice(0, n), rounds };
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRound = (r: unknown): boolean => {
  const o = r as ProbeRound;
  return typeof o === 'object' && o !== null && isNumber(o.step) && Array.isArray(o.outputs) &&
    o.outputs.every((p) => typeof p?.prompt === 'string' && typeof p.text === 'string' && typeof p.pass === 'boolean' && Array.isArray(p.reasons) && p.reasons.every((x) => typeof x === 'string'));
};

/** A saved run that can be resumed, or null (nothing saved, or a record Heed did not write). */
export function restoreRun(saved: unknown): SavedRun | null {
  if (typeof saved !== 'object' || saved === null) return null;
  const r = saved as SavedRun;
  const numbers = [r.iters, r.lr, r.batchSize, r.probeEvery, r.seed, r.done];
  if (!numbers.every(isNumber) || !(r.done > 0 && r.done < r.iters)) return null;
  if (!Array.isArray(r.steps) || !Array.isArray(r.loss) || r.steps.length !== r.loss.length || ![...r.steps, ...r.loss].every(isNumber)) return null;
  if (!Array.isArray(r.rounds) || !r.rounds.every(isRound)) return null;
  return { iters: r.iters, lr: r.lr, batchSize: r.batchSize, probeEvery: r.probeEvery, seed: r.seed, done: r.done, steps: r.steps, loss: r.loss, rounds: r.rounds };
}
