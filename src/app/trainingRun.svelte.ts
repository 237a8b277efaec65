/**
 * One training run on the worker, as the page runs every one of them
 * (pretraining, instruction tuning, DPO, RL): settings
 * checked before anything is cleared (a bad one is said beside its button
 * and the last run's curve stays), the curve and progress cleared, the call
 * streamed into them, then the model line refreshed and the model autosaved,
 * and one notice for how it ended (the reward model, fitted in milliseconds, is
 * not such a run: Prefs.trainRewardModel). A non-finite stop is an error (the
 * weights of the last good step are kept); a stopped run is a notice.
 */
import type { Progress } from '../engine/train.ts';
import type { ProgressUpdate } from '../../workers/progress.ts';
import { Curve } from './curve.svelte.ts';
import { type Heed, callback } from './heed.svelte.ts';
import { nextTask } from './slices.ts';

/** How a run ended, where the call reports it. */
export interface RunEnd {
  reason?: 'done' | 'stopped' | 'nonfinite';
  message?: string;
}

export interface RunSpec<R extends object> {
  /** Throws a message for a person when a setting is bad; nothing has changed then. */
  check?: () => void;
  /** Asked after the check, before anything is cleared (replacing the person's model); false cancels. */
  ask?: () => Promise<boolean>;
  /** What the model line says while it runs ('' leaves it as it is). */
  running?: string;
  /** Called after the curve is cleared, before the call (a resumed run puts its old curve back here). */
  begin?: () => void;
  /** Makes what the call sends, in short tasks; Pause and Stop wait until it is done (the worker has no run before). */
  prepare?: () => Promise<void>;
  /** The worker call, given the progress callback to pass on. */
  call: (onProgress: (u: ProgressUpdate) => void) => Promise<R>;
  /** The notice when it ends done or stopped; `nonfinite` is the error when it ends on a NaN without a message. */
  notice: (r: R) => string;
  nonfinite?: string;
}

/** A panel's state that trains (its class extends this): the progress line and the loss curve of its runs. */
export class TrainingRun {
  progress = $state<Progress | null>(null);
  readonly curve = new Curve();

  /** `at`: where this panel's run errors are shown. */
  constructor(protected readonly heed: Heed, private readonly at = '') {}

  protected async runTraining<R extends object>(spec: RunSpec<R>): Promise<R | undefined> {
    const h = this.heed;
    try {
      spec.check?.();
    } catch (e) {
      h.fail((e as Error).message, this.at);
      return undefined;
    }
    if (spec.ask && !(await spec.ask())) return undefined;
    return h.run('training', async () => {
      h.starting = true;
      await nextTask(); // the click's own task only swaps the buttons; clearing the last run is a task of its own
      this.curve.clear();
      this.progress = null;
      spec.begin?.();
      if (spec.running) h.running = spec.running;
      await spec.prepare?.();
      h.starting = false;
      const r = await spec.call(callback(({ points, ...p }: ProgressUpdate) => {
        this.progress = p;
        this.curve.add(points);
      }));
      h.running = ''; // the model line says what is loaded again, with the notice
      await h.refreshModel();
      await h.autosave();
      const end = r as RunEnd;
      if (end.reason === 'nonfinite') throw new Error(end.message ?? spec.nonfinite ?? 'Training stopped: the loss became NaN. The weights of the last good step are kept.');
      h.notice = spec.notice(r);
      return r;
    }, this.at);
  }
}
