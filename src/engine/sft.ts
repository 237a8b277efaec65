/**
 * The SFT stage: next-token loss on chat-rendered examples, counted only
 * where the mask is 1 (the assistant's tokens and its end token), averaged
 * over those tokens. Each batch is padded to its longest sequence (rounded
 * up, see `paddedLength`) and padding is never trained on. The chat
 * rendering itself lives in src/data/chat.ts; this stage takes its output.
 *
 * A pair whose answer starts past the block size is cut to no answer tokens
 * at all: it would train on nothing, and a batch of such pairs has an empty
 * mask and a loss of exactly 0. The stage leaves those pairs out and counts
 * them (`unfit`), refuses a run where none fit, and a batch with no weighted
 * token is an error, never a zero loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from './model.ts';
import { crossEntropy } from './ops.ts';
import { Rng } from './rng.ts';
import type { CharTokenizer } from './tokenizer.ts';
import type { Stage } from './train.ts';

export interface MaskedSequence {
  ids: number[];
  mask: number[]; // 1 = train on predicting this token
}

export interface SftBatch {
  [k: string]: tf.Tensor;
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  w: tf.Tensor2D;
}

/** Inputs, targets and loss weights [B, T] for a set of sequences, padded with `pad`. */
export function sftBatch(seqs: MaskedSequence[], T: number, pad: number): SftBatch {
  const B = seqs.length;
  const x = new Int32Array(B * T).fill(pad);
  const y = new Int32Array(B * T).fill(pad);
  const w = new Float32Array(B * T);
  seqs.forEach((s, b) => {
    const n = Math.min(s.ids.length - 1, T); // longer sequences are cut at the block size
    for (let t = 0; t < n; t++) {
      x[b * T + t] = s.ids[t];
      y[b * T + t] = s.ids[t + 1];
      w[b * T + t] = s.mask[t + 1]; // the weight belongs to the predicted token
    }
  });
  return { x: tf.tensor2d(x, [B, T], 'int32'), y: tf.tensor2d(y, [B, T], 'int32'), w: tf.tensor2d(w, [B, T]) };
}

/** Whether a sequence, cut to `T` predicted positions, still has a token to train on. */
export function fitsBlock(s: MaskedSequence, T: number): boolean {
  const n = Math.min(s.ids.length - 1, T);
  for (let t = 0; t < n; t++) if (s.mask[t + 1] === 1) return true;
  return false;
}

/** Mean loss over the weighted (assistant) tokens only. */
export function maskedLoss(model: GPT, b: SftBatch): tf.Scalar {
  const { logits } = model.forward(b.x);
  return crossEntropy(logits, tf.reshape(b.y, [-1]) as tf.Tensor1D, tf.reshape(b.w, [-1]) as tf.Tensor1D);
}

/**
 * The length a batch is padded to: its longest sequence rounded up to a
 * multiple of 32 (a few fixed shapes keep GPU buffer pools warm), at most the
 * block size. Short batches cost what they hold, not a whole block.
 */
export function paddedLength(batch: MaskedSequence[], blockSize: number): number {
  return padTo(Math.max(...batch.map((s) => s.ids.length - 1)), blockSize);
}

/** `n` tokens rounded up to a multiple of 32, at most the block size. */
export const padTo = (n: number, blockSize: number) => Math.min(blockSize, Math.ceil(n / 32) * 32);

export interface SftOptions {
  batchSize: number;
  seed: number;
  pad: number; // the <|pad|> id
  blockSize: number;
  /** Mix in pretraining text: this share of rows are plain windows of `tokens`, trained on every token. */
  mix?: { tokens: Int32Array; share: number };
}

/** The SFT stage, with how many examples were left out because no answer token fits the block. */
export type SftStage = Stage<SftBatch> & { unfit: number; examples: number };

/** What to tell a person about left-out examples ('' when none). */
export function unfitNote(s: { unfit: number; examples: number }, blockSize: number): string {
  if (!s.unfit) return '';
  return `${s.unfit} of ${s.examples} pairs were left out: their answer starts after the first ${blockSize} tokens (the model's block), so nothing of it could be trained on.`;
}

/** What to tell a person about characters the tokenizer does not know ('' when none). */
export function unknownNote(tokenizer: CharTokenizer, texts: string[]): string {
  const n = texts.reduce((sum, t) => sum + tokenizer.unknownCount(t), 0);
  return n ? `${n.toLocaleString('en')} characters outside the model's vocabulary were read as <|unk|>.` : '';
}

export function sftStage(all: MaskedSequence[], o: SftOptions): SftStage {
  if (!all.length) throw new Error('SFT needs at least one example');
  if (!all.some((s) => s.mask.slice(1).some((m) => m === 1))) throw new Error('SFT examples have no assistant tokens to train on');
  const train = all.filter((s) => fitsBlock(s, o.blockSize));
  if (!train.length) {
    throw new Error(`none of the ${all.length} SFT examples has an answer within the model's block of ${o.blockSize} tokens: shorten the prompts`);
  }
  if (o.mix && !(o.mix.share >= 0 && o.mix.share < 1)) throw new Error('the pretraining share must be in [0, 1)');
  if (o.mix && o.mix.tokens.length < o.blockSize + 2) throw new Error('the pretraining text to mix in is too short');
  const rng = new Rng(o.seed);
  // Each epoch: shuffle, then sort pools of 16 batches by length and cut them
  // into batches, so a batch holds sequences of similar length and little padding.
  let batches: MaskedSequence[][] = [];
  const refill = () => {
    const shuffled = rng.shuffle(train);
    const pool = o.batchSize * 16;
    for (let i = 0; i < shuffled.length; i += pool) {
      const sorted = shuffled.slice(i, i + pool).sort((a, b) => a.ids.length - b.ids.length);
      for (let j = 0; j < sorted.length; j += o.batchSize) batches.push(sorted.slice(j, j + o.batchSize));
    }
    batches = rng.shuffle(batches);
  };
  const window = (n: number): MaskedSequence => {
    const start = rng.int(o.mix!.tokens.length - n);
    const ids = Array.from(o.mix!.tokens.subarray(start, start + n));
    return { ids, mask: ids.map(() => 1) };
  };
  return {
    unfit: all.length - train.length,
    examples: all.length,
    name: 'sft',
    tokensPerStep: o.batchSize * o.blockSize,
    nextBatch: () => {
      if (!batches.length) refill();
      const rows = [...batches.pop()!];
      while (rows.length < o.batchSize) rows.push(rng.pick(train)); // an epoch's last, short batch
      const T = paddedLength(rows, o.blockSize);
      // Mixed-in pretraining rows are windows as long as the batch, every token trained.
      const batch = rows.map((r) => (o.mix && rng.next() < o.mix.share ? window(T + 1) : r));
      // Cannot happen with the filter above; if it ever did, the loss would read 0, not fail.
      if (!batch.some((s) => fitsBlock(s, T))) throw new Error(`SFT batch has no answer token within its ${T} positions`);
      return sftBatch(batch, T, o.pad);
    },
    loss: maskedLoss,
  };
}
