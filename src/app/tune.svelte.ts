/**
 * The instruction-tuning panel's state: the editable pairs table (autosaved,
 * imported and exported as JSONL, reset to the generated defaults), the SFT
 * run with its live loss, and the probe timeline: the same held-out prompts
 * re-answered every few steps with pass/fail marks, scrubbable afterwards.
 * A run cut short by a reload is offered for resuming (sftRun.ts).
 */
import { checkPair, parseJsonl } from '../eval/jsonl.ts';
import { type Pair, type ProbeRound, decodePairs } from '../../workers/api.ts';
import { encodePairsInSlices } from './slices.ts';
import { TrainingRun } from './trainingRun.svelte.ts';
import { type Heed, callback } from './heed.svelte.ts';
import * as storage from '../../workers/storage.ts';
import { restoreRecords } from './restore.ts';
import { RUN_KEY, type SavedRun, restoreRun, savedRun } from './sftRun.ts';
import { checkParam } from '../../workers/validate.ts';
import { SFT_DEFAULTS, SFT_PARAMS } from '../stages/settings.ts';

export const PAGE = 25;

export class Tune extends TrainingRun {
  pairs = $state.raw<Pair[]>([]);
  page = $state(0);
  iters = $state(SFT_DEFAULTS.iters);
  lr = $state(SFT_DEFAULTS.lr);
  batchSize = $state(SFT_DEFAULTS.batchSize);
  probeEvery = $state(SFT_DEFAULTS.probeEvery);
  rounds = $state<ProbeRound[]>([]);
  shown = $state(-1); // the probe round on screen; -1 follows the latest
  /** A run a reload cut short, which can be resumed from its last probe round. */
  interrupted = $state.raw<SavedRun | null>(null);

  constructor(heed: Heed) {
    super(heed, 'sft');
  }

  get pages(): number {
    return Math.max(1, Math.ceil(this.pairs.length / PAGE));
  }

  get visible(): { pair: Pair; index: number }[] {
    return this.pairs.slice(this.page * PAGE, (this.page + 1) * PAGE).map((pair, i) => ({ pair, index: this.page * PAGE + i }));
  }

  get round(): ProbeRound | undefined {
    return this.shown < 0 ? this.rounds.at(-1) : this.rounds[this.shown];
  }

  /** The saved pairs if there are any, else the generated defaults; and a run a reload interrupted. */
  async restore() {
    const run = (this.interrupted = restoreRun(await storage.load(RUN_KEY).catch(() => null)));
    if (run) {
      // Its curve and probe timeline are shown at once; Resume carries on from them.
      this.curve.add(run.steps.map((step, i) => [step, run.loss[i]]));
      this.rounds = run.rounds;
      this.heed.tell(`An instruction-tuning run was interrupted at step ${run.done} of ${run.iters}: you can resume it on the Instruction-tune tab.`);
    }
    try {
      const { records, notice } = restoreRecords<Pair>(await storage.load('pairs'), ['prompt', 'response'], 'pairs');
      if (notice) this.heed.tell(notice);
      if (records.length) {
        this.pairs = records;
        return;
      }
    } catch (e) {
      this.heed.notice = (e as Error).message;
    }
    await this.useDefaults();
  }

  private async useDefaults(): Promise<boolean> {
    try {
      this.pairs = decodePairs(await this.heed.api.defaultPairs()) as Pair[]; // made by our own worker
      return true;
    } catch (e) {
      this.heed.fail(`The built-in pairs could not be made: ${(e as Error).message}`, 'pairs');
      return false;
    }
  }

  private persist() {
    storage.save('pairs', this.pairs).catch((e) => (this.heed.notice = (e as Error).message));
  }

  edit(index: number, field: keyof Pair, value: string) {
    const pairs = this.pairs.slice();
    pairs[index] = { ...pairs[index], [field]: value };
    this.pairs = pairs;
    this.persist();
  }

  add() {
    this.pairs = [{ prompt: '', response: '' }, ...this.pairs];
    this.page = 0;
    this.persist();
  }

  remove(index: number) {
    this.pairs = this.pairs.filter((_, i) => i !== index);
    this.page = Math.min(this.page, this.pages - 1);
    this.persist();
  }

  async reset() {
    if (!(await this.useDefaults())) return;
    this.page = 0;
    this.persist();
    this.heed.notice = `Reset to the ${this.pairs.length.toLocaleString()} generated pairs.`;
  }

  /** Replace the table with a JSONL file's pairs; a bad line leaves the table as it was. */
  async importJsonl(file: File) {
    this.heed.error = '';
    try {
      const pairs = parseJsonl<Pair>(await file.text(), checkPair, `${file.name} line`);
      if (!pairs.length) throw new Error(`${file.name} holds no pairs.`);
      this.pairs = pairs.map(({ prompt, response }) => ({ prompt, response }));
      this.page = 0;
      this.persist();
      this.heed.notice = `Imported ${pairs.length} pairs from ${file.name}.`;
    } catch (e) {
      this.heed.fail((e as Error).message, 'pairs');
    }
  }

  exportJsonl(): Blob {
    return new Blob([this.pairs.map((p) => JSON.stringify(p)).join('\n') + '\n'], { type: 'application/jsonl' });
  }

  /** Drop the interrupted run (its model stays as autosaved). */
  discardRun() {
    this.interrupted = null;
    void storage.remove(RUN_KEY).catch(() => undefined);
  }

  /** Continue the interrupted run from its last probe round, with its settings, curve and probe timeline. */
  resume() {
    const run = this.interrupted;
    if (!run) return;
    Object.assign(this, { iters: run.iters, lr: run.lr, batchSize: run.batchSize, probeEvery: run.probeEvery });
    this.heed.seed = run.seed;
    return this.start(run);
  }

  start(resumed: SavedRun | null = null) {
    const h = this.heed;
    const settings = { iters: this.iters, batchSize: this.batchSize, lr: this.lr, seed: h.seed, probeEvery: this.probeEvery };
    let pairs = '';
    return this.runTraining({
      check: () => {
        for (const k of ['iters', 'lr', 'batchSize', 'probeEvery'] as const) checkParam(SFT_PARAMS[k], this[k]);
      },
      begin: () => {
        if (resumed) this.curve.add(resumed.steps.map((step, i) => [step, resumed.loss[i]]));
        this.rounds = resumed?.rounds ?? [];
        this.shown = -1;
        this.interrupted = null;
      },
      running: `Instruction-tuning ${h.shippedName ? `the shipped ${h.shippedName} model` : 'your model'}`,
      prepare: async () => {
        pairs = await encodePairsInSlices(this.pairs); // in slices: the page stays responsive as the run starts
      },
      call: async (onProgress) => {
        try {
          return await h.api.sft(
            { ...settings, pairs, startStep: resumed?.done },
            onProgress,
            callback((round: ProbeRound) => {
              this.rounds = [...this.rounds, round];
              // The worker saved the model at this step: keep what a resume needs (small: the curve and the rounds).
              if (round.step > 0 && round.step < settings.iters) {
                void storage.save(RUN_KEY, savedRun(settings, round.step, this.curve.steps, this.curve.loss, $state.snapshot(this.rounds))).catch(() => undefined);
              }
            }),
          );
        } finally {
          void storage.remove(RUN_KEY).catch(() => undefined);
        }
      },
      nonfinite: 'Tuning stopped: the loss became NaN. The weights of the last good step are kept.',
      notice: (r) => (r.reason === 'done' ? `Tuned ${r.step} steps.` : `Stopped after ${r.step} tuning steps.`) + (r.note ? ` ${r.note}` : ''),
    });
  }
}
