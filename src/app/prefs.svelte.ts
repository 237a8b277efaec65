/**
 * The preference panel's state: the learner is the human in RLHF. They choose
 * a taste (a named one with its meter, or their own); two answers from the
 * current model to a prompt; each pick becomes a {prompt, chosen, rejected}
 * pair, kept in IndexedDB. Then: train a reward model on the picks, run RL
 * against it (or against the checks), or DPO on the picks directly, and read
 * the taste meter before and after.
 */
import type { AnswerPair, MeterReport, PreferencePair, RewardModelReport, RlStep } from '../../workers/api.ts';
import { type Heed, callback } from './heed.svelte.ts';
import * as storage from '../../workers/storage.ts';
import { restoreRecords } from './restore.ts';
import { TrainingRun } from './trainingRun.svelte.ts';
import { DPO_STEER, RL_STEER } from '../stages/settings.ts';

export class Prefs extends TrainingRun {
  ratings = $state<PreferencePair[]>([]);
  current = $state<AnswerPair | null>(null);
  next = $state(0); // which built-in prompt comes next (the worker holds the list and its checks)
  /** A taste id from src/eval/tastes.ts (its meter is on the page), or '' for the learner's own. */
  taste = $state('colour');
  meterBefore = $state<MeterReport | null>(null);
  meterAfter = $state<MeterReport | null>(null);
  rmResult = $state<RewardModelReport | null>(null);
  rlReward = $state<'rm' | 'verify'>('rm');
  rlIters = $state<number>(RL_STEER.iters);
  /** The KL penalty keeps RL near the start; off, RL may chase the reward model's blind spots (reward hacking). */
  klBudget = $state(true);
  rlSteps = $state<RlStep[]>([]);
  dpoIters = $state<number>(DPO_STEER.iters);
  constructor(heed: Heed) {
    super(heed);
  }

  async restore() {
    try {
      const { records, notice } = restoreRecords<PreferencePair>(await storage.load('ratings'), ['prompt', 'chosen', 'rejected'], 'ratings', true);
      this.ratings = records;
      if (notice) this.heed.tell(notice);
    } catch (e) {
      this.heed.notice = (e as Error).message;
    }
  }

  private persist() {
    storage.save('ratings', $state.snapshot(this.ratings)).catch((e) => (this.heed.notice = (e as Error).message));
  }

  /** Two answers to the next built-in prompt, sampled from the current model. */
  draw() {
    const h = this.heed;
    const index = this.next++;
    return h.run('generating', async () => {
      this.current = await h.api.samplePair(index, h.seed * 1000 + index * 8, this.taste);
    });
  }

  /** Keep the pick (0 or 1) as a preference pair, or skip; then draw the next pair. */
  pick(better: 0 | 1 | null) {
    const c = this.current;
    if (c && better !== null && c.answers[0] !== c.answers[1]) {
      this.ratings = [...this.ratings, { prompt: c.prompt, chosen: c.answers[better], rejected: c.answers[1 - better] }];
      this.persist();
    }
    return this.draw();
  }

  /** Drop every rating (after asking: picks are a learner's work). */
  async clear() {
    const n = this.ratings.length;
    const ok = await this.heed.confirm.ask({
      title: 'Clear your ratings?',
      body: `This removes the ${n} ${n === 1 ? 'pair' : 'pairs'} you rated, here and in this browser's storage. Export them first to keep a copy.`,
      action: 'Clear the ratings',
    });
    if (!ok) return;
    this.ratings = [];
    this.persist();
  }

  /** Read the taste meter of the current model: the first reading is "before", later ones "after". */
  readMeter() {
    const h = this.heed;
    if (!this.taste) return Promise.resolve();
    return h.run('generating', async () => {
      const m = await h.api.tasteMeter(this.taste);
      if (!this.meterBefore || this.meterBefore.taste !== m.taste) {
        this.meterBefore = m;
        this.meterAfter = null;
      } else this.meterAfter = m;
    });
  }

  exportJsonl(): Blob {
    return new Blob([this.ratings.map((p) => JSON.stringify(p)).join('\n') + '\n'], { type: 'application/jsonl' });
  }

  /** Fit the reward model to the picks: one weight per word, in milliseconds (no steps to watch). */
  trainRewardModel() {
    const h = this.heed;
    return h.run('training', async () => {
      this.rmResult = await h.api.trainRewardModel({ pairs: $state.snapshot(this.ratings) });
      h.notice = `Reward model fitted to ${this.rmResult.trained} pairs.`;
    });
  }

  /** A tuning stage with the taste meter read before it (once per taste) and after it. */
  private async withMeter(stage: () => Promise<unknown>) {
    if (this.taste && this.meterBefore?.taste !== this.taste) await this.readMeter();
    if (this.heed.error) return;
    await stage();
    if (this.taste && !this.heed.error) {
      const notice = this.heed.notice;
      await this.readMeter();
      if (!this.heed.error) this.heed.notice = notice;
    }
  }

  rl() {
    const h = this.heed;
    this.rlSteps = [];
    return this.withMeter(() => this.runTraining({
      call: () => h.api.rl({ reward: this.rlReward, iters: this.rlIters, k: RL_STEER.k, beta: this.klBudget ? RL_STEER.beta : 0, lr: RL_STEER.lr, temperature: RL_STEER.temperature, promptsPerStep: RL_STEER.promptsPerStep, seed: h.seed, keep: this.klBudget ? RL_STEER.keep : 1 }, callback((s: RlStep) => (this.rlSteps = [...this.rlSteps, s]))),
      nonfinite: 'RL stopped: a non-finite value.',
      notice: (r) => (r.reason === 'done' ? `RL: ${r.step} steps.` : `RL stopped after ${r.step} steps.`),
    }));
  }

  dpo() {
    const h = this.heed;
    return this.withMeter(() => this.runTraining({
      call: (onProgress) => h.api.dpo({ pairs: $state.snapshot(this.ratings), iters: this.dpoIters, lr: DPO_STEER.lr, seed: h.seed, beta: DPO_STEER.beta, keep: DPO_STEER.keep }, onProgress),
      nonfinite: 'DPO stopped: the loss became NaN.',
      notice: (r) => (r.reason === 'done' ? `DPO: ${r.step} steps on your ${this.ratings.length} pairs.` : `DPO stopped after ${r.step} steps.`) + (r.note ? ` ${r.note}` : ''),
    }));
  }
}
