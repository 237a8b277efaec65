/**
 * Reinforcement learning on sampled answers, group-relative (as in GRPO):
 * for each prompt, sample K answers from the policy, score each (a reward
 * model, or the verifiers: "RL from verifiable rewards"), subtract β times
 * the sampled answer's KL to the frozen reference (InstructGPT's penalty),
 * and use reward minus the group mean as the advantage of a policy-gradient
 * step on the answer tokens:
 *   loss = -mean_i A_i · log π(y_i | x_i).
 * The KL is Schulman's "k3" estimator summed over the answer's tokens: with
 * r = log π_ref - log π at each sampled token, exp(r) - 1 - r. It is never
 * negative (unlike the plain Σ log π - log π_ref, whose sample mean went
 * below zero on the page) and still unbiased for KL(π ‖ π_ref).
 * Sampling is asynchronous, so each step draws its batch first (a prompt's K
 * answers side by side, generateMany) and then runs one step of the shared
 * training loop on it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { sequenceLogProbs } from './dpo.ts';
import { tokenLogProbs } from './ops.ts';
import { generateMany } from './generate.ts';
import type { GPT } from './model.ts';
import { Rng } from './rng.ts';
import { type MaskedSequence, paddedLength, sftBatch } from './sft.ts';
import type { CharTokenizer } from './tokenizer.ts';
import type { AdamW, Schedule } from './optim.ts';
import { NonFiniteError, type TrainControl, train } from './train.ts';

/** A prompt as the policy reads it: its token ids, already rendered (the chat template is data's, not the engine's). */
export interface RlPrompt {
  ids: number[];
  /** Reward for an answer (text as the user would see it). */
  reward: (answer: string) => number | Promise<number>;
}

export interface RlOptions {
  k: number; // answers sampled per prompt
  promptsPerStep: number;
  beta: number; // KL penalty
  temperature: number;
  maxNewTokens: number;
  seed: number;
  /**
   * Divide the advantages by the batch's standard deviation (as GRPO does per
   * group): a reward model's scale is arbitrary and drifts between trainings,
   * so unscaled it would set the step size. Default off (the checks' 0..1
   * reward and the CLI's recipes keep their scale).
   */
  whiten?: boolean;
}

export interface RlStats {
  step: number;
  reward: number; // mean reward of the sampled answers (before the KL penalty)
  kl: number; // mean KL to the reference per answer (k3 estimate, >= 0)
  loss: number;
}

export interface RlBatch {
  [k: string]: tf.Tensor;
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  w: tf.Tensor2D;
  adv: tf.Tensor1D;
}

/** Policy-gradient loss: -mean(A · log π(answer)). */
export function policyGradientLoss(model: GPT, b: RlBatch): tf.Scalar {
  return tf.neg(tf.mean(tf.mul(b.adv, sequenceLogProbs(model, b.x, b.y, b.w)))) as tf.Scalar;
}

/** Advantages: reward minus its group's mean (groups of k consecutive samples). */
export function groupAdvantages(rewards: number[], k: number): number[] {
  return rewards.map((r, i) => {
    const g = rewards.slice(Math.floor(i / k) * k, Math.floor(i / k) * k + k);
    return r - g.reduce((a, b) => a + b, 0) / g.length;
  });
}

/**
 * KL of each row's answer to the reference: Σ over answer tokens of
 * exp(r) - 1 - r, r = log π_ref - log π (k3; >= 0 term by term). r is
 * clipped to ±20 so one wild token cannot overflow exp.
 */
export function answerKl(policy: GPT, ref: GPT, x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor1D {
  const [rows, T] = x.shape;
  const lp = (m: GPT) => tf.reshape(tokenLogProbs(m.forward(x).logits, tf.reshape(y, [-1]) as tf.Tensor1D), [rows, T]); // [rows, T]
  const r = tf.clipByValue(tf.sub(lp(ref), lp(policy)), -20, 20);
  return tf.sum(tf.mul(tf.sub(tf.sub(tf.exp(r), 1), r), w), 1) as tf.Tensor1D;
}

/** Advantages over their standard deviation (kept as they are when all are equal). */
export function whiten(adv: number[]): number[] {
  const sd = Math.sqrt(adv.reduce((s, a) => s + a * a, 0) / adv.length); // group means are removed, so the mean is 0
  return sd > 1e-8 ? adv.map((a) => a / sd) : adv;
}

export class RlTrainer {
  private rng: Rng;
  private optimizer: AdamW | undefined;
  step = 0;

  constructor(
    readonly policy: GPT,
    readonly ref: GPT,
    readonly tokenizer: CharTokenizer,
    readonly o: RlOptions,
  ) {
    if (!(o.k >= 2)) throw new Error('RL needs at least 2 answers per prompt (the group mean is the baseline)');
    if (!(o.beta >= 0)) throw new Error(`the KL coefficient must be >= 0, got ${o.beta}`);
    this.rng = new Rng(o.seed);
  }

  /** Sample, score and take one policy-gradient step; returns the step's statistics. */
  async trainStep(prompts: RlPrompt[], schedule: Schedule, control?: TrainControl): Promise<RlStats | null> {
    const tk = this.tokenizer;
    const end = tk.special('<|end|>');
    const picked = Array.from({ length: this.o.promptsPerStep }, () => this.rng.pick(prompts));
    const seqs: MaskedSequence[] = [];
    const rewards: number[] = [];
    for (const p of picked) {
      const promptIds = p.ids;
      const seeds = Array.from({ length: this.o.k }, () => this.rng.int(2 ** 31));
      // The group's K answers side by side (on wasm 1.8x sooner than one after another: npm run bench:sample).
      const group = await generateMany(this.policy, promptIds, seeds, {
        temperature: this.o.temperature, maxNewTokens: this.o.maxNewTokens, stopTokens: [end, tk.special('<|doc|>')],
      });
      for (const r of group) {
        const answer = r.finish === 'stop' ? [...r.ids, end] : r.ids;
        seqs.push({ ids: [...promptIds, ...answer], mask: [...promptIds.map(() => 0), ...answer.map(() => 1)] });
        rewards.push(await p.reward(tk.decode(r.ids, { skipSpecial: true }).trim()));
      }
    }
    const blockSize = this.policy.config.blockSize;
    const rows = seqs.map((s) => (s.ids.length > blockSize + 1 ? { ids: s.ids.slice(-blockSize - 1), mask: s.mask.slice(-blockSize - 1) } : s));
    const { x, y, w } = sftBatch(rows, paddedLength(rows, blockSize), tk.special('<|pad|>'));
    const klTensor = tf.tidy(() => answerKl(this.policy, this.ref, x, y, w));
    const kl = await klTensor.data();
    klTensor.dispose();
    const total = rewards.map((r, i) => r - this.o.beta * kl[i]);
    const adv = tf.tensor1d(this.o.whiten ? whiten(groupAdvantages(total, this.o.k)) : groupAdvantages(total, this.o.k));
    const batch: RlBatch = { x, y, w, adv };
    const result = await train(this.policy, { name: 'rl', tokensPerStep: x.size, nextBatch: () => batch, loss: policyGradientLoss }, {
      iters: this.step + 1, startStep: this.step, clip: 1, schedule, optimizer: this.optimizer, control,
    });
    this.optimizer = result.optimizer;
    if (result.reason === 'nonfinite') throw new NonFiniteError(result.message);
    if (result.reason === 'stopped') {
      tf.dispose(batch);
      return null;
    }
    this.step = result.step;
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    return { step: this.step, reward: mean(rewards), kl: mean(kl), loss: result.lastLoss };
  }

  dispose(): void {
    this.optimizer?.dispose();
  }
}
