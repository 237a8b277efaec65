/** Plain-language figures for training runs: durations and time left. */
import type { Progress } from '../engine/train.ts';

/** "42 s" or "3 min 5 s". */
export const secs = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

/** Training time left at the run's pace so far (null before the first step). */
export const eta = (p: Progress | null): number | null => (p && p.step > 0 ? ((p.iters - p.step) * p.elapsedMs) / p.step : null);
