/**
 * The pretraining stage: next-token loss on random windows of a token stream.
 *
 * Batches are drawn as nanoGPT does (uniform random offsets), from a seeded
 * RNG; evaluation averages the loss over a fixed set of windows (same seed
 * each time) so successive eval points are comparable.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from './model.ts';
import { crossEntropy } from './ops.ts';
import { Rng } from './rng.ts';
import type { Stage } from './train.ts';

export interface TextSplit {
  train: Int32Array;
  val: Int32Array;
}

/** Hold out the tail of a token stream for validation (nanoGPT's 90/10 split). */
export function splitTokens(ids: ArrayLike<number>, valFraction: number): TextSplit {
  if (!(valFraction >= 0 && valFraction < 1)) throw new Error(`val fraction must be in [0, 1), got ${valFraction}`);
  const all = Int32Array.from(ids);
  const n = Math.floor(all.length * (1 - valFraction));
  return { train: all.subarray(0, n), val: all.subarray(n) };
}

/** Random windows: x [B, T] and y = x shifted by one. */
export function sampleWindows(tokens: Int32Array, batchSize: number, blockSize: number, rng: Rng) {
  const span = tokens.length - blockSize - 1;
  if (span < 0) throw new Error(`text too short: ${tokens.length} tokens, need at least ${blockSize + 2}`);
  const x = new Int32Array(batchSize * blockSize);
  const y = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const o = rng.int(span + 1);
    x.set(tokens.subarray(o, o + blockSize), b * blockSize);
    y.set(tokens.subarray(o + 1, o + 1 + blockSize), b * blockSize);
  }
  return { x: tf.tensor2d(x, [batchSize, blockSize], 'int32'), y: tf.tensor2d(y, [batchSize, blockSize], 'int32') };
}

/** Mean next-token loss of a batch. */
export function lmLoss(model: GPT, x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  const { logits } = model.forward(x);
  return crossEntropy(logits, tf.reshape(y, [-1]) as tf.Tensor1D);
}

export interface PretrainOptions {
  batchSize: number;
  blockSize: number; // may be shorter than the model's block size
  seed: number;
  evalBatches?: number;
}

export function pretrainStage(data: TextSplit, o: PretrainOptions): Stage<{ x: tf.Tensor2D; y: tf.Tensor2D }> {
  const rng = new Rng(o.seed);
  const evalBatches = o.evalBatches ?? 20;
  const meanLoss = async (model: GPT, tokens: Int32Array) => {
    if (tokens.length < o.blockSize + 2) return NaN;
    const evalRng = new Rng(o.seed + 7919);
    let sum = 0;
    for (let i = 0; i < evalBatches; i++) {
      const loss = tf.tidy(() => {
        const { x, y } = sampleWindows(tokens, o.batchSize, o.blockSize, evalRng);
        return lmLoss(model, x, y);
      });
      sum += (await loss.data())[0];
      loss.dispose();
    }
    return sum / evalBatches;
  };
  return {
    name: 'pretrain',
    tokensPerStep: o.batchSize * o.blockSize,
    nextBatch: () => sampleWindows(data.train, o.batchSize, o.blockSize, rng),
    loss: (model, b) => lmLoss(model, b.x, b.y),
    evaluate: async (model) => ({
      trainLoss: await meanLoss(model, data.train),
      valLoss: await meanLoss(model, data.val),
    }),
  };
}
