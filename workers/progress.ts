/**
 * Progress from the worker to the page, batched: a training step can take a
 * few milliseconds, and one message per step would make the page re-render
 * (and its chart redraw) as often. Each update carries the latest step's
 * figures and every (step, loss) point since the last update, so the curve
 * keeps every step while the page hears from the worker a few times a second.
 */
import type { Progress } from '../src/engine/train.ts';

/** The latest step's figures and the loss of every step since the previous update. */
export interface ProgressUpdate extends Progress {
  points: [number, number][];
}

export interface ProgressBatcher {
  /** Record one step; sends an update when `everyMs` have passed since the last. */
  push(p: Progress): void;
  /** Send what is pending, and resolve once the page has it (call before a run returns). */
  flush(): Promise<void>;
}

/** At most one update every `everyMs` (plus the final flush). */
export function batchProgress(send: (u: ProgressUpdate) => unknown, everyMs = 250, now = () => performance.now()): ProgressBatcher {
  let points: [number, number][] = [];
  let latest: Progress | null = null;
  let last = -Infinity;
  let inFlight: Promise<unknown> = Promise.resolve();
  const emit = () => {
    if (!latest) return;
    const update = { ...latest, points };
    points = [];
    latest = null;
    last = now();
    inFlight = Promise.resolve(send(update)).catch(() => undefined); // a page that went away must not stop the run
  };
  return {
    push(p) {
      points.push([p.step, p.loss]);
      latest = p;
      if (now() - last >= everyMs) emit();
    },
    async flush() {
      emit();
      await inFlight;
    },
  };
}
