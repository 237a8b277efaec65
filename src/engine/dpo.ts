/**
 * Direct preference optimisation (Rafailov et al. 2023) as a stage of the one
 * training loop. For a prompt with a chosen and a rejected response,
 *   loss = -log σ(β [(log π(y+) - log π_ref(y+)) - (log π(y-) - log π_ref(y-))])
 * with sequence log-probabilities summed over the response tokens only (the
 * chat mask). The reference is a frozen copy of the starting (SFT) model; its
 * log-probabilities are computed when the batch is drawn, outside the tape,
 * so it is never updated. Evaluation reports the implicit rewards
 * β (log π - log π_ref) of chosen and rejected, their margin and the
 * preference accuracy, on held-out pairs.
 *
 * `sftWeight` α adds α × the chosen answers' mean per-token negative
 * log-likelihood (DPO + NLL, as in Pang et al. 2024, "Iterative Reasoning
 * Preference Optimization"): plain DPO can lower the chosen answers'
 * likelihood too, and then behaviours the pairs never mention drift.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from './model.ts';
import { tokenLogProbs } from './ops.ts';
import { Rng } from './rng.ts';
import { type MaskedSequence, paddedLength, sftBatch } from './sft.ts';
import { type Stage, type TrainOptions, type TrainResult, train } from './train.ts';
import { interpolateWeights } from './average.ts';
import { tenthCosine } from './optim.ts';

export interface PreferenceSequences {
  chosen: MaskedSequence;
  rejected: MaskedSequence;
}

export interface DpoBatch {
  [k: string]: tf.Tensor;
  x: tf.Tensor2D; // [2B, T]: B chosen rows, then their B rejected rows
  y: tf.Tensor2D;
  w: tf.Tensor2D;
  ref: tf.Tensor1D; // [2B] reference sequence log-probs
}

/** Sum of log p(target) over the weighted positions of each row: [rows]. */
export function sequenceLogProbs(model: GPT, x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor1D {
  const [rows, T] = x.shape;
  const { logits } = model.forward(x);
  const lp = tokenLogProbs(logits, tf.reshape(y, [-1]) as tf.Tensor1D);
  return tf.sum(tf.mul(tf.reshape(lp, [rows, T]), w), 1) as tf.Tensor1D;
}

/** The DPO loss and its parts from policy and reference log-probs of [chosen..., rejected...]. */
export function dpoTerms(policy: tf.Tensor1D, ref: tf.Tensor1D, beta: number) {
  const B = policy.shape[0] / 2;
  const rewards = tf.mul(tf.sub(policy, ref), beta); // implicit rewards
  const chosen = tf.slice(rewards, [0], [B]);
  const rejected = tf.slice(rewards, [B], [B]);
  const margin = tf.sub(chosen, rejected);
  const loss = tf.mean(tf.softplus(tf.neg(margin))) as tf.Scalar; // -log σ(m) = softplus(-m); tf.logSigmoid's gradient reads a disposed tensor
  return { loss, chosen, rejected, margin };
}

export interface DpoOptions {
  batchSize: number;
  seed: number;
  pad: number;
  blockSize: number;
  beta: number;
  /** Weight of the chosen answers' per-token NLL added to the loss (default 0: plain DPO). */
  sftWeight?: number;
  /** Pairs for the eval line (rewards, margin, accuracy); none: no eval metrics. */
  heldOut?: PreferenceSequences[];
}

function batchOf(pairs: PreferenceSequences[], ref: GPT, o: DpoOptions): DpoBatch {
  const rows = [...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)];
  const { x, y, w } = sftBatch(rows, paddedLength(rows, o.blockSize), o.pad);
  const refLp = tf.tidy(() => sequenceLogProbs(ref, x, y, w));
  return { x, y, w, ref: refLp };
}

/** Batches of `size` items drawn in epochs, each reshuffled. */
export function epochs<T>(items: T[], size: number, seed: number): () => T[] {
  const rng = new Rng(seed);
  let order: T[] = [];
  return () => {
    const out: T[] = [];
    while (out.length < size) {
      if (!order.length) order = rng.shuffle(items);
      out.push(order.pop()!);
    }
    return out;
  };
}

export function dpoStage(train: PreferenceSequences[], ref: GPT, o: DpoOptions): Stage<DpoBatch> {
  if (!train.length) throw new Error('DPO needs at least one preference pair');
  if (!(o.beta > 0 && o.beta <= 10)) throw new Error(`DPO beta must be in (0, 10], got ${o.beta}`);
  if (!((o.sftWeight ?? 0) >= 0 && (o.sftWeight ?? 0) <= 10)) throw new Error(`DPO sftWeight must be in [0, 10], got ${o.sftWeight}`);
  const draw = epochs(train, o.batchSize, o.seed);
  return {
    name: 'dpo',
    tokensPerStep: o.batchSize * 2 * o.blockSize,
    nextBatch: () => batchOf(draw(), ref, o),
    loss: (model, b) => {
      const lp = sequenceLogProbs(model, b.x, b.y, b.w);
      const dpo = dpoTerms(lp, b.ref, o.beta).loss;
      return o.sftWeight ? tf.add(dpo, tf.mul(chosenNll(lp, b.w), o.sftWeight)) as tf.Scalar : dpo;
    },
    evaluate: o.heldOut?.length ? (model) => dpoMetrics(model, ref, o.heldOut!, o) : undefined,
  };
}

/** Mean over the chosen rows (the first half) of -log π(y+) per answer token. */
export function chosenNll(policy: tf.Tensor1D, w: tf.Tensor2D): tf.Scalar {
  const B = policy.shape[0] / 2;
  const tokens = tf.sum(tf.slice(w, [0, 0], [B, -1]), 1);
  return tf.mean(tf.div(tf.neg(tf.slice(policy, [0], [B])), tf.maximum(tokens, 1))) as tf.Scalar;
}

/** Mean implicit rewards, margin, preference accuracy and loss over pairs (no gradients). */
export async function dpoMetrics(model: GPT, ref: GPT, pairs: PreferenceSequences[], o: DpoOptions): Promise<Record<string, number>> {
  const sums = { rewardChosen: 0, rewardRejected: 0, margin: 0, accuracy: 0, dpoLoss: 0 };
  for (let i = 0; i < pairs.length; i += o.batchSize) {
    const chunk = pairs.slice(i, i + o.batchSize);
    const b = batchOf(chunk, ref, o);
    const parts = tf.tidy(() => {
      const t = dpoTerms(sequenceLogProbs(model, b.x, b.y, b.w), b.ref, o.beta);
      return tf.stack([tf.sum(t.chosen), tf.sum(t.rejected), tf.sum(t.margin), tf.sum(tf.cast(tf.greater(t.margin, 0), 'float32')), tf.mul(t.loss, chunk.length)]);
    });
    const [c, r, m, a, l] = await parts.data();
    tf.dispose([parts, b.x, b.y, b.w, b.ref]);
    sums.rewardChosen += c;
    sums.rewardRejected += r;
    sums.margin += m;
    sums.accuracy += a;
    sums.dpoLoss += l;
  }
  const n = pairs.length;
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
}

export interface DpoTraining extends Omit<DpoOptions, 'blockSize'>, Pick<TrainOptions, 'control' | 'evalEvery' | 'logEvery' | 'onProgress' | 'onEval'> {
  iters: number;
  lr: number;
  /** Share of the step kept at the end (default 1; 0.5: the mean of the start and the tuned weights, see interpolateWeights). */
  keep?: number;
}

/**
 * DPO on `pairs` against a frozen copy of `model` as it is now: lr with
 * cosine decay to a tenth, a short warm-up, clip 1. Shared by the CLI
 * (`heed dpo`) and the worker. The caller owns the returned optimiser; a
 * non-finite loss comes back as the result's reason, the weights from the
 * last good step.
 */
export async function trainDpo(model: GPT, pairs: PreferenceSequences[], o: DpoTraining): Promise<TrainResult> {
  const ref = model.frozenCopy();
  try {
    const options: DpoOptions = { batchSize: o.batchSize, seed: o.seed, pad: o.pad, blockSize: model.config.blockSize, beta: o.beta, sftWeight: o.sftWeight, heldOut: o.heldOut };
    const r = await train(model, dpoStage(pairs, ref, options), {
      iters: o.iters, clip: 1, control: o.control, evalEvery: o.evalEvery, logEvery: o.logEvery, onProgress: o.onProgress, onEval: o.onEval,
      schedule: tenthCosine(o.lr, o.iters, 20),
    });
    if ((o.keep ?? 1) === 1) return r;
    // Keep a share of the step, against the reference (the start); the last metrics are the kept model's.
    interpolateWeights(model, ref, o.keep!);
    const lastEval = r.lastEval && o.heldOut?.length ? { step: r.lastEval.step, ...(await dpoMetrics(model, ref, o.heldOut, options)) } : r.lastEval;
    return { ...r, lastEval };
  } finally {
    ref.dispose();
  }
}
