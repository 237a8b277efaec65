/**
 * The worker's preference-tuning calls: sample two answers for the learner to
 * rate (differing on their taste, scored by the reward model once there is
 * one), train a reward model on their picks, DPO, RL rewarded by that reward
 * model or by the checks, and the taste meter. Kept apart from
 * trainer.worker.ts, which owns the model and passes it in.
 */
import { splitHeldOut } from '../src/datasets/pairs.ts';
import { runDpo } from '../src/stages/dpo.ts';
import type { GPT } from '../src/engine/model.ts';
import { type WordRewardModel, strongestWords, trainWordRewardModel, wordReward, wordRewardAccuracy } from '../src/engine/wordRewardModel.ts';
import { rlPrompts, runRl, wordsReward } from '../src/stages/rl.ts';
import type { Param } from '../src/stages/params.ts';
import { DPO_PARAMS, RL_DEFAULTS, RL_PARAMS, WORD_REWARD_MODEL } from '../src/stages/settings.ts';
import type { CharTokenizer } from '../src/engine/tokenizer.ts';
import type { TrainControl } from '../src/engine/train.ts';
import { evaluateModel } from '../src/eval/run.ts';
import { meterPrompts, ratingExamples, ratingPair, readMeter, sampleAnswers } from '../src/eval/steer.ts';
import { suiteByName } from '../src/eval/suite.ts';
import { tasteById } from '../src/eval/tastes.ts';
import type { Example } from '../src/tasks/index.ts';
import { scorePrompt } from '../src/eval/score.ts';
import type { AnswerPair, PreferencePair, TrainerApi } from './api.ts';
import { batchProgress } from './progress.ts';
import { checkParam, checkPreferences, checkRange } from './validate.ts';

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

type Calls = Pick<TrainerApi, 'samplePair' | 'trainRewardModel' | 'tasteMeter' | 'dpo' | 'rl'>;

/** Built-in training prompts with their checks: the SFT mix (haiku among them), as `ratingPrompts` draws them; no held-out topic or phrasing. */
const PROMPTS: Example[] = ratingExamples(300);
/** The meter's fixed prompts (the bench reads 40; the page 16, to answer in seconds) and the held-out slice read beside it. */
const METER = meterPrompts(16);
const HELDOUT_SLICE = suiteByName('heldout').slice(0, 16);

/** What the checks say of an answer: that it passes, or the first failing check's reason. */
function checkText(e: Example, answer: string): string {
  const s = scorePrompt(e, answer);
  const failed = s.strict.follow_instruction_list.indexOf(false);
  return failed < 0 ? 'passes the checks' : `fails: ${s.reasons[failed]}`;
}

/** Steps, learning rate and seed of a preference run, as its stage's table has them. */
function checkTraining(req: { iters: unknown; lr: unknown; seed: unknown }, table: Record<'iters' | 'lr' | 'seed', Param>): void {
  checkParam(table.iters, req.iters);
  checkParam(table.lr, req.lr);
  checkParam(table.seed, req.seed);
}

/** The calls. The reward model (one weight per word, plain numbers) lives here between them, on any backend. */
export function preferenceCalls(ctx: PreferenceContext): Calls {
  let rm: WordRewardModel | null = null;
  const checkPairs = (pairs: PreferencePair[]) => {
    const ok = checkPreferences(pairs).filter((p) => p.prompt.trim() && p.chosen.trim() && p.rejected.trim() && p.chosen !== p.rejected);
    if (ok.length < 2) throw new Error(`Rate at least 2 pairs first (you have ${ok.length}).`);
    return ok;
  };

  return {
    async samplePair(index, seed, tasteId) {
      const { model, tokenizer } = ctx.requireModel();
      checkRange('Prompt index', index, 0, Number.MAX_SAFE_INTEGER, true);
      checkRange('Seed', seed, 0, Number.MAX_SAFE_INTEGER - 1000, true);
      const taste = tasteId ? tasteById(tasteId) : undefined;
      // A few prompts in turn: on some, no two samples differ on the taste.
      let e = PROMPTS[index % PROMPTS.length];
      let pair: [string, string] | null = null;
      for (let tries = 0; !pair && tries < 4; tries++) {
        e = PROMPTS[(index + tries * 97) % PROMPTS.length];
        pair = await ratingPair(model, tokenizer, e.prompt, seed + tries * 10, taste);
      }
      const answers = pair ?? ((await sampleAnswers(model, tokenizer, e.prompt, 2, seed)) as [string, string]);
      const out: AnswerPair = { prompt: e.prompt, answers, checks: [checkText(e, answers[0]), checkText(e, answers[1])] };
      if (taste) out.taste = [taste.has(answers[0]), taste.has(answers[1])];
      if (rm) out.rm = [wordReward(rm, answers[0]), wordReward(rm, answers[1])];
      return out;
    },

    async tasteMeter(tasteId) {
      const { model, tokenizer } = ctx.requireModel();
      const taste = tasteById(tasteId);
      const m = await readMeter(model, tokenizer, taste, METER);
      const strict = (await evaluateModel(model, tokenizer, HELDOUT_SLICE, { maxNewTokens: 160 })).summary.promptStrict;
      return { taste: taste.id, share: m.share, answers: m.answers, heldoutStrict: strict, heldoutPrompts: HELDOUT_SLICE.length };
    },

    async trainRewardModel(req) {
      ctx.requireModel();
      const { train: trainPairs, heldOut, measure } = splitHeldOut(checkPairs(req.pairs));
      // One weight per word, fitted in milliseconds (see wordRewardModel.ts for why not the model's own hidden states).
      rm = trainWordRewardModel(trainPairs, WORD_REWARD_MODEL).model;
      const { liked, disliked } = strongestWords(rm, 8);
      return { accuracy: wordRewardAccuracy(rm, measure), heldOut: heldOut.length, trained: trainPairs.length, liked, disliked };
    },

    async dpo(req, onProgress) {
      const { model, tokenizer } = ctx.requireModel();
      checkTraining(req, DPO_PARAMS);
      checkParam(DPO_PARAMS.beta, req.beta);
      const keep = req.keep ?? 1;
      checkParam(DPO_PARAMS.keep, keep);
      const pairs = checkPairs(req.pairs);
      const control = ctx.begin();
      const progress = batchProgress(onProgress);
      let steps = 0;
      try {
        const r = await runDpo(model, tokenizer, pairs, { iters: req.iters, lr: req.lr, beta: req.beta, batchSize: 8, seed: req.seed, keep }, { control, onProgress: (p) => progress.push(p) });
        r.optimizer.dispose();
        await progress.flush();
        steps = r.step;
        const measured = r.accuracy === null ? '' : r.heldOut
          ? `It prefers your choice on ${Math.round(r.accuracy * 100)} % of the ${r.heldOut} pairs it did not train on (trained on ${r.trained}).`
          : `With fewer than 10 pairs none is held out: it prefers your choice on ${Math.round(r.accuracy * 100)} % of the pairs it trained on.`;
        return { reason: r.reason, step: r.step, lastLoss: r.lastLoss, message: r.message, note: measured };
      } finally {
        ctx.finish('dpo', steps);
      }
    },

    async rl(req, onStep) {
      const { model, tokenizer } = ctx.requireModel();
      checkTraining(req, RL_PARAMS);
      checkParam(RL_PARAMS.beta, req.beta);
      checkParam(RL_PARAMS.k, req.k);
      const keep = req.keep ?? 1;
      checkParam(RL_PARAMS.keep, keep);
      const temperature = req.temperature ?? RL_DEFAULTS.temperature;
      checkParam(RL_PARAMS.temperature, temperature);
      const promptsPerStep = req.promptsPerStep ?? RL_DEFAULTS.promptsPerStep;
      checkParam(RL_PARAMS.promptsPerStep, promptsPerStep);
      if (req.reward !== 'rm' && req.reward !== 'verify') throw new Error(`Unknown reward ${JSON.stringify(req.reward)} (choose rm or verify).`);
      if (req.reward === 'rm' && !rm) throw new Error('Train a reward model first (or reward with the checks).');
      const reward = req.reward === 'rm' && rm ? wordsReward(rm) : null;
      const control = ctx.begin();
      let steps = 0;
      try {
        const settings = { ...RL_DEFAULTS, iters: req.iters, lr: req.lr, beta: req.beta, k: req.k, seed: req.seed, keep, temperature, promptsPerStep, whiten: reward !== null };
        const r = await runRl(model, tokenizer, rlPrompts(PROMPTS, reward, tokenizer), settings, {
          control,
          onStep: (s) => {
            steps = s.step; // counted as they happen: an error mid-run still records the steps that changed the model
            onStep({ step: s.step, reward: s.reward, kl: s.kl });
          },
        });
        steps = r.step;
        return r;
      } finally {
        ctx.finish('rl', steps);
      }
    },
  };
}
