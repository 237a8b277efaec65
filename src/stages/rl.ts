/**
 * The RL stage as one run, shared by `heed rl`, the worker's `rl` call and
 * npm run bench:steer: its schedule (a constant learning rate:
 * each step's batch is fresh samples, so there is no epoch to anneal over)
 * and its loop of RlTrainer steps against a frozen copy of the starting model.
 * At the end `keep` < 1 moves the weights back toward the start
 * (interpolateWeights). Its settings are RL_PARAMS (settings.ts). A reward model's scores are
 * whitened (their scale is arbitrary), on the command line and the page
 * alike; the checks' 0..1 reward is kept as is.
 */
import { renderPrompt } from '../data/chat.ts';
import { interpolateWeights } from '../engine/average.ts';
import type { GPT } from '../engine/model.ts';
import type { RewardModel } from '../engine/rewardModel.ts';
import { type WordRewardModel, wordReward } from '../engine/wordRewardModel.ts';
import { type RlPrompt, type RlStats, RlTrainer } from '../engine/rl.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { NonFiniteError, type StopReason, type TrainControl } from '../engine/train.ts';
import { checksReward, modelReward } from '../eval/rewards.ts';
import type { InputExample } from '../eval/score.ts';
import type { RlSettings } from './settings.ts';

/** A user turn in the chat template, with the reward of an answer to it. */
export const chatPrompt = (tokenizer: CharTokenizer, prompt: string, reward: RlPrompt['reward']): RlPrompt => ({ ids: renderPrompt(tokenizer, prompt), reward });

/** A reward model's reward for the answers to a prompt. */
export type PromptReward = (prompt: string) => RlPrompt['reward'];

/** The GPT reward model's: its score of the answer in the chat template. */
export const trunkReward = (rm: RewardModel, tokenizer: CharTokenizer): PromptReward => (prompt) => modelReward(rm, tokenizer, prompt);

/** The page's reward model's (one weight per word): the answer alone, whatever the prompt. */
export const wordsReward = (m: WordRewardModel): PromptReward => () => (answer) => wordReward(m, answer);

/** Prompts with their reward: a reward model's score, or (null) the share of the prompt's checks an answer passes. */
export function rlPrompts(examples: InputExample[], reward: PromptReward | null, tokenizer: CharTokenizer): RlPrompt[] {
  return examples.map((e) => chatPrompt(tokenizer, e.prompt, reward ? reward(e.prompt) : checksReward(e)));
}

export interface RlHooks {
  control?: TrainControl;
  /** After each step (awaited: the CLI checks the held-out suite here). */
  onStep?: (s: RlStats) => void | Promise<void>;
}

export interface RlResult {
  reason: StopReason;
  step: number;
  lastLoss: number;
  message?: string;
}

/** `o.iters` RL steps on `model`; `whiten` when the reward is a reward model's. A non-finite step ends the run, the last good weights kept. */
export async function runRl(model: GPT, tokenizer: CharTokenizer, prompts: RlPrompt[], o: RlSettings & { whiten: boolean }, hooks: RlHooks = {}): Promise<RlResult> {
  const ref = model.frozenCopy();
  const rl = new RlTrainer(model, ref, tokenizer, { k: o.k, promptsPerStep: o.promptsPerStep, beta: o.beta, temperature: o.temperature, maxNewTokens: o.maxNewTokens, seed: o.seed, whiten: o.whiten });
  const schedule = { lr: o.lr, minLr: o.lr, warmup: 0, decaySteps: o.iters };
  let last = { step: 0, loss: NaN };
  // The weights as they end (stopped, done or at the last good step) keep `keep` of the change from the start.
  const ended = (r: RlResult): RlResult => (interpolateWeights(model, ref, o.keep), r);
  try {
    for (let i = 0; i < o.iters; i++) {
      const s = await rl.trainStep(prompts, schedule, hooks.control);
      if (!s) return ended({ reason: 'stopped', step: last.step, lastLoss: last.loss });
      last = s;
      await hooks.onStep?.(s);
    }
    return ended({ reason: 'done', step: last.step, lastLoss: last.loss });
  } catch (e) {
    if (e instanceof NonFiniteError) return ended({ reason: 'nonfinite', step: last.step, lastLoss: last.loss, message: e.message });
    throw e; // anything else (a lost device, a bug) reaches the caller as the error it is
  } finally {
    rl.dispose();
    ref.dispose();
  }
}
