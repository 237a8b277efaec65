/**
 * The preference panel's state: the learner is the human in RLHF. Two answers
 * from the current model to a prompt; each pick becomes a {prompt, chosen,
 * rejected} pair, kept in IndexedDB. Then: train a reward model on the picks,
 * run RL against it (or against the checks), or DPO on the picks directly.
 */
import type { Progress } from '../engine/train.ts';
import type { AnswerPair, PreferencePair, RlStep } from '../../workers/api.ts';
import { type Heed, callback } from './heed.svelte.ts';
import * as storage from '../../workers/storage.ts';
import { restoreRecords } from './restore.ts';

export class Prefs {
  ratings = $state<PreferencePair[]>([]);
  current = $state<AnswerPair | null>(null);
  next = $state(0); // which built-in prompt comes next (the worker holds the list and its checks)
  rmIters = $state(60);
  rmResult = $state<{ accuracy: number; heldOut: number; trained: number } | null>(null);
  rlReward = $state<'rm' | 'verify'>('rm');
  rlIters = $state(10);
  rlSteps = $state<RlStep[]>([]);
  dpoIters = $state(30);
  progress = $state<Progress | null>(null);

  constructor(private heed: Heed) {}

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
      this.current = await h.api.samplePair(index, h.seed * 1000 + index * 2);
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

  clear() {
    this.ratings = [];
    this.persist();
  }

  exportJsonl(): Blob {
    return new Blob([this.ratings.map((p) => JSON.stringify(p)).join('\n') + '\n'], { type: 'application/jsonl' });
  }

  trainRewardModel() {
    const h = this.heed;
    this.progress = null;
    return h.run('training', async () => {
      this.rmResult = await h.api.trainRewardModel({ pairs: $state.snapshot(this.ratings), iters: this.rmIters, lr: 1e-4, seed: h.seed }, callback((p: Progress) => (this.progress = p)));
      h.notice = `Reward model trained on ${this.rmResult.trained} pairs.`;
    });
  }

  rl() {
    const h = this.heed;
    this.rlSteps = [];
    return h.run('training', async () => {
      const r = await h.api.rl({ reward: this.rlReward, iters: this.rlIters, k: 4, beta: 0.05, lr: 2e-5, seed: h.seed }, callback((s: RlStep) => (this.rlSteps = [...this.rlSteps, s])));
      await h.refreshModel();
      await h.autosave();
      if (r.reason === 'nonfinite') throw new Error(r.message ?? 'RL stopped: a non-finite value.');
      h.notice = r.reason === 'done' ? `RL: ${r.step} steps.` : `RL stopped after ${r.step} steps.`;
    });
  }

  dpo() {
    const h = this.heed;
    this.progress = null;
    return h.run('training', async () => {
      const r = await h.api.dpo({ pairs: $state.snapshot(this.ratings), iters: this.dpoIters, lr: 5e-5, seed: h.seed, beta: 0.1 }, callback((p: Progress) => (this.progress = p)));
      await h.refreshModel();
      await h.autosave();
      if (r.reason === 'nonfinite') throw new Error(r.message ?? 'DPO stopped: the loss became NaN.');
      h.notice = r.reason === 'done' ? `DPO: ${r.step} steps on your ${this.ratings.length} pairs.` : `DPO stopped after ${r.step} steps.`;
    });
  }
}
