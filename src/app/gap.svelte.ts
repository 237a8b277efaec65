/**
 * The first screen's state: the gap between a base model and an
 * instruction-tuned one, shown without a click. The shipped base and the
 * shipped sft model answer the headline prompt greedily in the worker (same
 * answer on every laptop), each with the checks' verdict. It runs after the
 * engine starts and marks the page busy (so no backend switch or training
 * starts under it), without clearing the start-up notices; a failure is shown
 * in the gap panel itself.
 */
import type { HeadlineAnswer } from '../../workers/api.ts';
import type { Heed } from './heed.svelte.ts';

/** The two sides of the gap: shipped model names, base first. */
export const GAP_MODELS = ['base', 'sft'] as const;

export class Gap {
  answers = $state<(HeadlineAnswer | null)[]>([null, null]);
  error = $state('');

  constructor(private heed: Heed) {}

  async show() {
    const h = this.heed;
    if (h.busy !== '' || !GAP_MODELS.every((name) => h.shipped.some((m) => m.name === name))) return;
    this.error = '';
    h.busy = 'generating';
    try {
      for (const [i, name] of GAP_MODELS.entries()) this.answers[i] = await h.api.headline(name);
    } catch (e) {
      this.error = `The two models could not answer: ${(e as Error).message}`;
    } finally {
      h.busy = '';
    }
  }
}
