/**
 * The pretraining panel's state: what to train on, how big, and the live
 * curve (loss per step, validation loss per eval), speed, elapsed time and ETA.
 */
import type { PresetName } from '../engine/config.ts';
import type { EvalPoint, Progress } from '../engine/train.ts';
import type { ProgressUpdate } from '../../workers/progress.ts';
import { SAMPLE_TEXT } from '../data/sample.ts';
import { readText } from '../data/textFile.ts';
import { checkCorpus, checkParam } from '../../workers/validate.ts';
import { PRETRAIN_PAGE, pretrainParams } from '../stages/settings.ts';
import { Curve } from './curve.svelte.ts';
import { type Heed, callback } from './heed.svelte.ts';

export const MAX_TEXT_CHARS = 5_000_000;

export class Pretrain {
  source = $state<'builtin' | 'text'>('builtin');
  text = $state(SAMPLE_TEXT);
  preset = $state<PresetName>(PRETRAIN_PAGE.preset); // learns within a minute; the shipped size takes minutes
  iters = $state<number>(PRETRAIN_PAGE.iters);
  lr = $state<number>(PRETRAIN_PAGE.lr);
  batchSize = $state<number>(PRETRAIN_PAGE.batchSize);
  progress = $state<Progress | null>(null);
  readonly curve = new Curve();
  evals = $state<EvalPoint[]>([]);

  constructor(private heed: Heed) {}

  /** The chosen size's settings table (names and ranges). */
  get params() {
    return pretrainParams(this.preset);
  }

  async useFile(file: File) {
    this.heed.error = '';
    if (file.size > MAX_TEXT_CHARS) {
      this.heed.fail(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the limit is ${MAX_TEXT_CHARS / 1e6} MB of text.`, 'corpus');
      return;
    }
    try {
      this.text = readText(file.name, new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      this.heed.fail((e as Error).message, 'corpus');
      return;
    }
    this.source = 'text';
    this.heed.notice = `Loaded ${this.text.length.toLocaleString()} characters from ${file.name}.`;
  }

  /**
   * Train: settings checked first (a bad one is said beside the button, and
   * the last run's curve stays), then, from scratch over the person's own
   * model, asked before it is replaced.
   */
  async start(fromScratch = true) {
    try {
      for (const k of ['iters', 'lr', 'batchSize'] as const) checkParam(this.params[k], this[k]);
      checkCorpus(this.source, this.text);
    } catch (e) {
      return this.heed.fail((e as Error).message, 'pretrain');
    }
    if (fromScratch && !(await this.heed.mayReplace('Pretraining from scratch'))) return;
    const running = fromScratch ? `Pretraining a new ${this.preset} model from scratch` : 'Pretraining the loaded model further';
    this.curve.clear();
    this.evals = [];
    this.progress = null;
    const h = this.heed;
    return h.run('training', async () => {
      h.running = running;
      const r = await h.api.pretrain(
        { source: this.source, text: this.text, preset: this.preset, iters: this.iters, batchSize: this.batchSize, lr: this.lr, seed: h.seed, evalEvery: Math.max(10, Math.round(this.iters / 10)), fromScratch },
        callback(({ points, ...p }: ProgressUpdate) => {
          this.progress = p;
          this.curve.add(points);
        }),
        callback((e: EvalPoint) => {
          this.evals = [...this.evals, e];
          this.curve.addVal(e.step, e.valLoss);
        }),
      );
      h.running = ''; // the model line says what is loaded again, with the notice
      await h.refreshModel();
      await h.autosave();
      if (r.reason === 'nonfinite') throw new Error(r.message ?? 'Training stopped: the loss became NaN. The weights of the last good step are kept.');
      h.notice = r.reason === 'done' ? `Trained ${r.step} steps.` : `Stopped at step ${r.step}.`;
    }, 'pretrain');
  }
}
