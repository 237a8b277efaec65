/**
 * The worker's preference-tuning calls: sample two answers for the learner to
 * rate, train a reward model on their picks, DPO, and RL rewarded by that
 * reward model or by the checks. Kept apart from trainer.worker.ts, which
 * owns the model and passes it in.
 */
import { makeSftExamples, renderPreference, splitHeldOut } from '../src/data/pairs.ts';
import { trainDpo } from '../src/engine/dpo.ts';
import { generate } from '../src/engine/generate.ts';
import type { GPT } from '../src/engine/model.ts';
import { type RewardModel, rewardAccuracy, trainRewardModel } from '../src/engine/rewardModel.ts';
import { type RlPrompt, RlTrainer } from '../src/engine/rl.ts';
import type { CharTokenizer } from '../src/engine/tokenizer.ts';
import { NonFiniteError, type TrainControl } from '../src/engine/train.ts';
import { promptIds } from '../src/eval/run.ts';
import type { Example } from '../src/tasks/index.ts';
import { checksReward, modelReward } from '../src/eval/rewards.ts';
import { scorePrompt } from '../src/eval/score.ts';
import type { PreferencePair, TrainerApi } from './api.ts';
import { batchProgress } from './progress.ts';
import { checkPreferences, checkRange, checkSeed } from './validate.ts';

export interface WorkerModel {
  model: GPT;
  tokenizer: CharTokenizer;
}

export interface PreferenceContext {
  requireModel(): WorkerModel;
  /** Start a run (refused while another runs); `finish` records the steps taken. */
  begin(): TrainControl;
  finish(stage: string, steps: number): void;
}

type Calls = Pick<TrainerApi, 'samplePair' | 'trainRewardModel' | 'dpo' | 'rl'>;

/** Built-in training prompts with their checks (the same generator as the SFT pairs; no held-out topic or phrasing). */
const PROMPTS: Example[] = makeSftExamples(11, 300, { subjectShare: 0 });

/** What the checks say of an answer: that it passes, or the first failing check's reason. */
function checkText(e: Example, answer: string): string {
  const s = scorePrompt(e, answer);
  const failed = s.strict.follow_instruction_list.indexOf(false);
  return failed < 0 ? 'passes the checks' : `fails: ${s.reasons[failed]}`;
}

/** Steps, learning rate and seed of a preference run. */
function checkTraining(req: { iters: unknown; lr: unknown; seed: unknown }): void {
  checkRange('Steps', req.iters, 1, 100_000, true);
  checkRange('Learning rate', req.lr, 1e-7, 0.1);
  checkSeed(req.seed);
}

/** The calls, and `dropRewardModel` for the worker (its weights do not survive a backend switch). */
export function preferenceCalls(ctx: PreferenceContext): Calls & { dropRewardModel(): void } {
  let rm: RewardModel | null = null;
  const checkPairs = (pairs: PreferencePair[]) => {
    const ok = checkPreferences(pairs).filter((p) => p.prompt.trim() && p.chosen.trim() && p.rejected.trim() && p.chosen !== p.rejected);
    if (ok.length < 2) throw new Error(`Rate at least 2 pairs first (you have ${ok.length}).`);
    return ok;
  };

  return {
    dropRewardModel() {
      rm?.dispose();
      rm = null;
    },

    async samplePair(index, seed) {
      const { model, tokenizer } = ctx.requireModel();
      checkRange('Prompt index', index, 0, Number.MAX_SAFE_INTEGER, true);
      checkRange('Seed', seed, 0, Number.MAX_SAFE_INTEGER - 1, true);
      const e = PROMPTS[index % PROMPTS.length];
      const prompt = e.prompt;
      const ids = promptIds(tokenizer, prompt, 'chat');
      const stop = [tokenizer.special('<|end|>'), tokenizer.special('<|doc|>')];
      const answers = [];
      for (const s of [seed, seed + 1]) {
        const r = await generate(model, ids, { temperature: 1, seed: s, maxNewTokens: 120, stopTokens: stop });
        answers.push(tokenizer.decode(r.ids, { skipSpecial: true }).trim());
      }
      return { prompt, answers: [answers[0], answers[1]], checks: [checkText(e, answers[0]), checkText(e, answers[1])] };
    },

    async trainRewardModel(req, onProgress) {
      const { model, tokenizer } = ctx.requireModel();
      checkTraining(req);
      const { train: trainPairs, heldOut, measure } = splitHeldOut(checkPairs(req.pairs).map((p) => renderPreference(tokenizer, p)));
      const control = ctx.begin();
      const progress = batchProgress(onProgress);
      try {
        rm?.dispose();
        rm = null;
        const o = { batchSize: Math.min(8, trainPairs.length), seed: req.seed, pad: tokenizer.special('<|pad|>'), blockSize: model.config.blockSize };
        const trained = await trainRewardModel(model.copy(), trainPairs, { ...o, iters: req.iters, lr: req.lr, control, onProgress: (p) => progress.push(p) });
        trained.result.optimizer.dispose();
        await progress.flush();
        rm = trained.rm;
        const measured = await rewardAccuracy(rm, measure, o);
        return { accuracy: measured.rmAccuracy, heldOut: heldOut.length, trained: trainPairs.length };
      } finally {
        ctx.finish('', 0);
      }
    },

    async dpo(req, onProgress) {
      const { model, tokenizer } = ctx.requireModel();
      checkTraining(req);
      checkRange('Beta', req.beta, 1e-4, 100);
      const pairs = checkPairs(req.pairs).map((p) => renderPreference(tokenizer, p));
      const control = ctx.begin();
      const progress = batchProgress(onProgress);
      let steps = 0;
      try {
        const r = await trainDpo(model, pairs, { iters: req.iters, lr: req.lr, beta: req.beta, batchSize: Math.min(8, pairs.length), seed: req.seed, pad: tokenizer.special('<|pad|>'), control, onProgress: (p) => progress.push(p) });
        r.optimizer.dispose();
        await progress.flush();
        steps = r.step;
        return { reason: r.reason, step: r.step, lastLoss: r.lastLoss, message: r.message };
      } finally {
        ctx.finish('dpo', steps);
      }
    },

    async rl(req, onStep) {
      const { model, tokenizer } = ctx.requireModel();
      checkTraining(req);
      checkRange('Beta', req.beta, 0, 100);
      checkRange('Samples per prompt', req.k, 2, 64, true);
      if (req.reward !== 'rm' && req.reward !== 'verify') throw new Error(`Unknown reward ${JSON.stringify(req.reward)} (choose rm or verify).`);
      if (req.reward === 'rm' && !rm) throw new Error('Train a reward model first (or reward with the checks).');
      const reward = rm;
      const prompts: RlPrompt[] = PROMPTS.map((e) => ({
        prompt: e.prompt,
        reward: req.reward === 'verify' ? checksReward(e) : modelReward(reward!, tokenizer, e.prompt),
      }));
      const control = ctx.begin();
      const ref = model.frozenCopy();
      const rl = new RlTrainer(model, ref, tokenizer, { k: req.k, promptsPerStep: 2, beta: req.beta, temperature: 1, maxNewTokens: 100, seed: req.seed });
      let last = { step: 0, loss: NaN };
      try {
        for (let i = 0; i < req.iters; i++) {
          const s = await rl.trainStep(prompts, { lr: req.lr, minLr: req.lr, warmup: 0, decaySteps: req.iters }, control);
          if (!s) return { reason: 'stopped' as const, step: last.step, lastLoss: last.loss };
          last = s;
          onStep({ step: s.step, reward: s.reward, kl: s.kl });
        }
        return { reason: 'done' as const, step: last.step, lastLoss: last.loss };
      } catch (e) {
        if (e instanceof NonFiniteError) return { reason: 'nonfinite' as const, step: last.step, lastLoss: last.loss, message: e.message };
        throw e; // anything else (a lost device, a bug) reaches the page as the error it is
      } finally {
        rl.dispose();
        ref.dispose();
        ctx.finish('rl', last.step);
      }
    },
  };
}
