/** Plain-language figures for training runs: durations, time left, and the backend's speed. */
import type { BackendInfo } from '../engine/backend.ts';
import { formatRate } from '../engine/numbers.ts';
import type { Progress } from '../engine/train.ts';

/** "42 s" or "3 min 5 s". */
export const secs = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

/** Training time left at the run's pace so far (null before the first step). */
export const eta = (p: Progress | null): number | null => (p && p.step > 0 ? ((p.iters - p.step) * p.elapsedMs) / p.step : null);

/** What the badge adds after the backend's name, e.g. " · 2 threads · 4,100 tokens/s" (threads and speed when known). */
export function backendDetail(info: BackendInfo): string {
  const threads = info.threads && info.threads.threads > 1 ? ` · ${info.threads.threads} threads` : '';
  const rate = info.tokensPerSec !== undefined ? ` · ${formatRate(info.tokensPerSec)} tokens/s` : '';
  return `${threads}${rate}`;
}

/** Why this backend, and wasm's threads and why: the badge's tooltip and the settings' line. */
export const backendWhy = (info: BackendInfo): string => (info.threads ? `${info.reason}. wasm: ${info.threads.reason}` : info.reason);
