/**
 * The pretraining panel's state: what to train on, how big, and the live
 * curve (loss per step, validation loss per eval), speed, elapsed time and ETA.
 */
import type { PresetName } from '../engine/config.ts';
import type { EvalPoint } from '../engine/train.ts';
import { SAMPLE_TEXT } from '../data/sample.ts';
import { readText } from '../data/textFile.ts';
import { checkCorpus, checkParam } from '../../workers/validate.ts';
import { PRETRAIN_PAGE, pretrainParams } from '../stages/settings.ts';
import { type Heed, callback } from './heed.svelte.ts';
import { TrainingRun } from './trainingRun.svelte.ts';

export const MAX_TEXT_CHARS = 5_000_000;

export class Pretrain extends TrainingRun {
  source = $state<'builtin' | 'text'>('builtin');
  text = $state(SAMPLE_TEXT);
  preset = $state<PresetName>(PRETRAIN_PAGE.preset); // learns within a minute; the shipped size takes minutes
  iters = $state<number>(PRETRAIN_PAGE.iters);
  lr = $state<number>(PRETRAIN_PAGE.lr);
  batchSize = $state<number>(PRETRAIN_PAGE.batchSize);
  evals = $state<EvalPoint[]>([]);

  constructor(heed: Heed) {
    super(heed, 'pretrain');
  }

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
    const h = this.heed;
    await this.runTraining({
      check: () => {
        for (const k of ['iters', 'lr', 'batchSize'] as const) checkParam(this.params[k], this[k]);
        checkCorpus(this.source, this.text);
      },
      ask: () => (fromScratch ? h.mayReplace('Pretraining from scratch') : Promise.resolve(true)),
      begin: () => (this.evals = []),
      running: fromScratch ? `Pretraining a new ${this.preset} model from scratch` : 'Pretraining the loaded model further',
      call: (onProgress) => h.api.pretrain(
        { source: this.source, text: this.text, preset: this.preset, iters: this.iters, batchSize: this.batchSize, lr: this.lr, seed: h.seed, evalEvery: Math.max(10, Math.round(this.iters / 10)), fromScratch },
        onProgress,
        callback((e: EvalPoint) => {
          this.evals = [...this.evals, e];
          this.curve.addVal(e.step, e.valLoss);
        }),
      ),
      notice: (r) => (r.reason === 'done' ? `Trained ${r.step} steps.` : `Stopped at step ${r.step}.`),
    });
  }
}
