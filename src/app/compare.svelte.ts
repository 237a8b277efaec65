/**
 * The compare-and-measure panel's state: two models answer the same prompt
 * with the same seed, side by side; the held-out check suite runs on each,
 * giving per-type bars, prompt- and instruction-level accuracy and the failure
 * labels (continued the document, restated the prompt, drifted).
 */
import type { ModelRef, SuiteReport, TokenView } from '../../workers/api.ts';
import { type Heed, callback } from './heed.svelte.ts';

export interface Side {
  model: ModelRef;
  text: string;
}

export class Compare {
  sides = $state<Side[]>([{ model: 'base', text: '' }, { model: 'sft', text: '' }, { model: 'current', text: '' }]);
  reports = $state<Record<string, SuiteReport>>({});
  evalProgress = $state('');

  constructor(private heed: Heed) {}

  /** Both sides answer the playground's prompt with its seed and temperature. */
  run() {
    const h = this.heed;
    for (const s of this.sides) s.text = '';
    return h.run('generating', async () => {
      for (const side of this.sides) {
        await h.api.generateWith(side.model, { prompt: h.prompt, temperature: h.temperature, seed: h.seed, maxNewTokens: 120 },
          callback((e: TokenView) => (side.text += e.text)));
      }
    });
  }

  /** The held-out suite on one side's model. */
  measure(model: ModelRef) {
    const h = this.heed;
    return h.run('evaluating', async () => {
      const report = await h.api.evaluate(model, 'heldout', callback((done: number, total: number) => (this.evalProgress = `${model}: ${done}/${total} prompts`)));
      this.reports = { ...this.reports, [model]: report };
      this.evalProgress = '';
    });
  }
}
