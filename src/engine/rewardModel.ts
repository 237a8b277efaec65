/**
 * A reward model: the GPT trunk (initialised from a tuned model) with a
 * scalar head, trained with the Bradley-Terry loss -log σ(r+ - r-) on
 * preference pairs. Its accuracy is the share of held-out pairs where r+ > r-.
 *
 * Read-outs. 'last' (InstructGPT's): the head reads the hidden state at the
 * answer's last token (its <|end|>), trunk and head trained together; it
 * suits many built-in pairs. On a frozen trunk, the head can instead score
 * every answer token, so a feature anywhere in the answer (a colour word in
 * line 2) counts directly: a linear probe with C + 1 weights, which ~20 picks
 * can fit without learning the prompts by heart. 'peak' adds the best
 * token's score to the worst's (a liked word lifts the answer, a disliked one
 * lowers it, whatever its length); 'mean' averages them. On one colour-taste
 * set of 30 picks (`npm run bench:steer`, 20 fresh pairs): 'last' 40 %,
 * 'mean' 65 %, 'peak' 70 %, a plain sum 75 % (but a sum adds the head's
 * average score once per token, so it tracked length and RL on it shortened
 * answers; it is not offered). On 120 validation pairs none of these read-outs
 * did better than chance at any layer, so the page's reward model for a
 * learner's taste is one weight per word (wordRewardModel.ts); this one is
 * `heed rm`'s and `heed rl --reward rm`'s, for the built-in pairs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from './model.ts';
import { type MaskedSequence, padTo } from './sft.ts';
import { type PreferenceSequences, epochs } from './dpo.ts';
import { type Stage, type Trainable, type TrainOptions, type TrainResult, train } from './train.ts';
import { tenthCosine } from './optim.ts';

let headCount = 0;

export type Readout = 'last' | 'mean' | 'peak';

export class RewardModel implements Trainable {
  readonly head: tf.Variable; // [C, 1]
  readonly bias: tf.Variable; // [1]

  /** `trunk` is used as is (and, with the 'last' read-out, trained): pass a copy if the original must stay. */
  constructor(readonly trunk: GPT, seed = 1, readonly readout: Readout = 'last') {
    const id = headCount++;
    // The initial values are disposed once the variables hold them (they share the data).
    const [head, bias] = [tf.randomNormal([trunk.config.nEmbd, 1], 0, 0.02, 'float32', seed), tf.zeros([1])];
    this.head = tf.variable(head, true, `rm${id}.head`);
    this.bias = tf.variable(bias, true, `rm${id}.bias`);
    tf.dispose([head, bias]);
  }

  get trainableVariables(): tf.Variable[] {
    return this.readout !== 'last' ? [this.head, this.bias] : [...this.trunk.trainableVariables, this.head, this.bias];
  }

  /** One reward per row: x [B, T] with the answer's last token at `last[b]` and its tokens marked in `w` [B, T]. */
  rewards(x: tf.Tensor2D, last: tf.Tensor1D, w?: tf.Tensor2D): tf.Tensor1D {
    const [B, T] = x.shape;
    const C = this.trunk.config.nEmbd;
    if (this.readout !== 'last') {
      if (!w) throw new Error(`the '${this.readout}' read-out needs the answer mask`);
      return this.fromHidden(this.trunk.hidden(x), w);
    }
    const h = tf.reshape(this.trunk.hidden(x), [B, T, C]);
    // oneHot then cast: the wasm backend's oneHot ignores a float32 dtype (writes the integer bits, ~1e-45).
    const pick = tf.expandDims(tf.cast(tf.oneHot(last, T), 'float32'), 2); // [B, T, 1]
    const at = tf.sum(tf.mul(h, pick), 1) as tf.Tensor2D; // [B, C]
    return tf.reshape(tf.add(tf.matMul(at, this.head), this.bias), [B]) as tf.Tensor1D;
  }

  /** The frozen-trunk read-outs from hidden states h [B*T, C] and the answer mask w [B, T]. */
  fromHidden(h: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor1D {
    const [B, T] = w.shape;
    const perToken = tf.reshape(tf.matMul(h, this.head), [B, T]); // [B*T, C] x [C, 1]
    if (this.readout === 'mean') return tf.add(tf.div(tf.sum(tf.mul(perToken, w), 1), tf.maximum(tf.sum(w, 1), 1)), this.bias) as tf.Tensor1D;
    // peak: the best token's score plus the worst's (a liked word anywhere lifts it, a disliked one lowers it)
    const off = tf.mul(tf.sub(1, w), 1e4);
    return tf.add(tf.add(tf.max(tf.sub(perToken, off), 1), tf.min(tf.add(perToken, off), 1)), this.bias) as tf.Tensor1D;
  }

  dispose(): void {
    this.trunk.dispose();
    this.head.dispose();
    this.bias.dispose();
  }
}

export interface RewardBatch {
  [k: string]: tf.Tensor;
  x: tf.Tensor2D; // [2B, T]: chosen rows, then rejected rows
  last: tf.Tensor1D; // [2B] index of each row's last token
  w: tf.Tensor2D; // [2B, T] 1 on the answer's tokens
}

/**
 * Rows padded together (to a multiple of 32, at most the block size), each
 * with the index of its last token, the answer's <|end|>. A row longer than
 * the block keeps its last `blockSize` tokens, so the end is always read.
 */
export function rewardBatch(rows: MaskedSequence[], blockSize: number, pad: number): RewardBatch {
  const T = padTo(Math.max(...rows.map((r) => r.ids.length)), blockSize);
  const x = new Int32Array(rows.length * T).fill(pad);
  const w = new Float32Array(rows.length * T);
  rows.forEach((r, b) => {
    x.set(r.ids.slice(-T), b * T);
    w.set(r.mask.slice(-T), b * T);
  });
  const last = rows.map((r) => Math.min(r.ids.length, T) - 1);
  return { x: tf.tensor2d(x, [rows.length, T], 'int32'), last: tf.tensor1d(last, 'int32'), w: tf.tensor2d(w, [rows.length, T]) };
}

/** Bradley-Terry loss over a batch of [chosen..., rejected...] rewards. */
export function bradleyTerry(rewards: tf.Tensor1D): tf.Scalar {
  const B = rewards.shape[0] / 2;
  const margin = tf.sub(tf.slice(rewards, [0], [B]), tf.slice(rewards, [B], [B]));
  return tf.mean(tf.softplus(tf.neg(margin))) as tf.Scalar;
}

export interface RewardOptions {
  batchSize: number;
  seed: number;
  pad: number;
  blockSize: number;
  heldOut?: PreferenceSequences[];
}

const rowsOf = (pairs: PreferenceSequences[]) => [...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)];

export function rewardStage(train: PreferenceSequences[], o: RewardOptions): Stage<RewardBatch, RewardModel> {
  if (!train.length) throw new Error('the reward model needs at least one preference pair');
  const draw = epochs(train, o.batchSize, o.seed);
  return {
    name: 'rm',
    tokensPerStep: o.batchSize * 2 * o.blockSize,
    nextBatch: () => rewardBatch(rowsOf(draw()), o.blockSize, o.pad),
    loss: (rm, b) => bradleyTerry(rm.rewards(b.x, b.last, b.w)),
    evaluate: o.heldOut?.length ? (rm) => rewardAccuracy(rm, o.heldOut!, o) : undefined,
  };
}

interface ProbeBatch {
  [k: string]: tf.Tensor;
  h: tf.Tensor2D; // [2B*T, C] cached hidden states: chosen rows, then rejected rows
  w: tf.Tensor2D; // [2B, T]
}

/**
 * Training for the frozen-trunk read-outs: the trunk runs once over every
 * pair (its hidden states kept, [2N, T, C]) and each step only scores them,
 * so a step costs a small matMul instead of a forward pass (30 steps on 30
 * picks: ~110 s with a forward pass a step on the busy 2-core machine).
 */
function probeStage(rm: RewardModel, pairs: PreferenceSequences[], o: RewardOptions): { stage: Stage<ProbeBatch, RewardModel>; dispose: () => void } {
  const rows = [...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)];
  const b = rewardBatch(rows, o.blockSize, o.pad);
  const [R, T] = b.x.shape;
  const C = rm.trunk.config.nEmbd;
  const hidden = tf.tidy(() => tf.reshape(rm.trunk.hidden(b.x), [R, T, C]));
  const w = b.w;
  tf.dispose([b.x, b.last]);
  const n = pairs.length;
  const draw = epochs(pairs.map((_, i) => i), o.batchSize, o.seed);
  return {
    stage: {
      name: 'rm',
      tokensPerStep: o.batchSize * 2 * T,
      nextBatch: () => tf.tidy(() => {
        const picked = draw();
        const idx = tf.tensor1d([...picked, ...picked.map((i) => i + n)], 'int32');
        return { h: tf.reshape(tf.gather(hidden, idx), [idx.size * T, C]) as tf.Tensor2D, w: tf.gather(w, idx) as tf.Tensor2D };
      }),
      loss: (m, batch) => bradleyTerry(m.fromHidden(batch.h, batch.w)),
      evaluate: o.heldOut?.length ? (m) => rewardAccuracy(m, o.heldOut!, o) : undefined,
    },
    dispose: () => tf.dispose([hidden, w]),
  };
}

/** Share of pairs the reward model orders correctly, and its mean loss. */
export async function rewardAccuracy(rm: RewardModel, pairs: PreferenceSequences[], o: RewardOptions): Promise<{ rmAccuracy: number; rmLoss: number }> {
  let right = 0;
  let loss = 0;
  for (let i = 0; i < pairs.length; i += o.batchSize) {
    const chunk = pairs.slice(i, i + o.batchSize);
    const b = rewardBatch(rowsOf(chunk), o.blockSize, o.pad);
    const out = tf.tidy(() => {
      const r = rm.rewards(b.x, b.last, b.w);
      const n = chunk.length;
      const margin = tf.sub(tf.slice(r, [0], [n]), tf.slice(r, [n], [n]));
      return tf.stack([tf.sum(tf.cast(tf.greater(margin, 0), 'float32')), tf.mul(bradleyTerry(r), n)]);
    });
    const [a, l] = await out.data();
    tf.dispose([out, b]);
    right += a;
    loss += l;
  }
  return { rmAccuracy: right / pairs.length, rmLoss: loss / pairs.length };
}

/** Rewards for single sequences (e.g. sampled answers), in batches. */
export async function scoreSequences(rm: RewardModel, rows: MaskedSequence[], o: { batchSize: number; pad: number; blockSize: number }): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i += o.batchSize) {
    const b = rewardBatch(rows.slice(i, i + o.batchSize), o.blockSize, o.pad);
    const r = tf.tidy(() => rm.rewards(b.x, b.last, b.w));
    out.push(...(await r.data()));
    tf.dispose([r, b]);
  }
  return out;
}

export interface RewardTraining extends Pick<TrainOptions, 'control' | 'evalEvery' | 'logEvery' | 'onProgress' | 'onEval'> {
  iters: number;
  lr: number;
  batchSize: number;
  seed: number;
  pad: number;
  heldOut?: PreferenceSequences[];
  readout?: Readout; // default 'last'
}

/**
 * A reward model trained on `pairs` from `trunk` (used and changed: pass a
 * copy): lr with cosine decay to a tenth, a short warm-up, clip 1. Shared by
 * the CLI (`heed rm`, `heed rl --reward rm`) and the worker. The caller owns
 * the returned model and optimiser; a non-finite loss throws.
 */
export async function trainRewardModel(trunk: GPT, pairs: PreferenceSequences[], o: RewardTraining): Promise<{ rm: RewardModel; result: TrainResult }> {
  const rm = new RewardModel(trunk, o.seed, o.readout);
  const so = { batchSize: o.batchSize, seed: o.seed, pad: o.pad, blockSize: trunk.config.blockSize, heldOut: o.heldOut };
  if (!pairs.length) throw new Error('the reward model needs at least one preference pair');
  const probe = rm.readout === 'last' ? null : probeStage(rm, pairs, so);
  const options = {
    iters: o.iters, clip: 1, control: o.control, evalEvery: o.evalEvery, logEvery: o.logEvery, onProgress: o.onProgress, onEval: o.onEval,
    schedule: tenthCosine(o.lr, o.iters, 20),
  };
  const result = await (probe ? train(rm, probe.stage, options) : train(rm, rewardStage(pairs, so), options)).finally(() => probe?.dispose());
  if (result.reason === 'nonfinite') {
    result.optimizer.dispose();
    rm.dispose();
    throw new Error(result.message);
  }
  return { rm, result };
}
