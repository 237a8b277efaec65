/**
 * The DPO stage as one run, shared by `heed dpo` and the worker's `dpo` call:
 * the preference pairs through the chat template, a held-out part by the one
 * rule both sides use (`splitHeldOut`: the last fifth once there are 10
 * pairs; below that the training pairs are what is measured), DPO against a
 * frozen copy of the starting model (`trainDpo`), and the preference accuracy
 * on the measured pairs at the end (of the kept model when `keep` < 1 moves
 * the weights back toward the start). Its settings are DPO_PARAMS (settings.ts).
 */
import { type PreferencePair, renderPreference, splitHeldOut } from '../datasets/pairs.ts';
import { type DpoTraining, trainDpo } from '../engine/dpo.ts';
import type { GPT } from '../engine/model.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import type { TrainResult } from '../engine/train.ts';

export interface DpoSettings {
  iters: number;
  lr: number;
  beta: number;
  batchSize: number;
  seed: number;
  sftWeight?: number;
  /** Share of the step kept at the end (1: all of it; 0.5: the mean of the start and the tuned weights). */
  keep?: number;
}

export type DpoHooks = Pick<DpoTraining, 'control' | 'evalEvery' | 'logEvery' | 'onProgress' | 'onEval'>;

export interface DpoRun extends TrainResult {
  /** Pairs trained on, and pairs held out (0 below 10 pairs: then the accuracy is on the training pairs). */
  trained: number;
  heldOut: number;
  /** Share of measured pairs where the model now prefers the chosen answer (the last evaluation). */
  accuracy: number | null;
}

export async function runDpo(model: GPT, tokenizer: CharTokenizer, pairs: PreferencePair[], s: DpoSettings, hooks: DpoHooks = {}): Promise<DpoRun> {
  const { train, heldOut, measure } = splitHeldOut(pairs.map((p) => renderPreference(tokenizer, p)));
  const r = await trainDpo(model, train, {
    ...hooks, iters: s.iters, lr: s.lr, beta: s.beta, batchSize: Math.min(s.batchSize, train.length), seed: s.seed,
    pad: tokenizer.special('<|pad|>'), sftWeight: s.sftWeight, keep: s.keep, heldOut: measure, evalEvery: hooks.evalEvery ?? s.iters,
  });
  return { ...r, trained: train.length, heldOut: heldOut.length, accuracy: r.lastEval?.accuracy ?? null };
}
