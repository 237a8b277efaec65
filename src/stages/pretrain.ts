/**
 * The pretraining stage as one run, shared by `heed pretrain` and the
 * worker's `pretrain` call (its settings: pretrainParams, settings.ts): its data (the built-in corpus
 * in the ASCII vocabulary, or a person's text, a tenth held out for the
 * validation loss) and its schedule: cosine to a tenth of the rate after a
 * warm-up of at most a tenth of the run. Steps count from the model's own:
 * a model trained further continues the curve (no second warm-up) and its
 * cosine ends with this run.
 */
import { type GenreWeights, buildCorpus, corpusTokens } from '../datasets/corpus.ts';
import { type PresetName, TRAIN_DEFAULTS } from '../engine/config.ts';
import type { GPT } from '../engine/model.ts';
import { type TextSplit, pretrainStage, splitTokens } from '../engine/pretrain.ts';
import { CharTokenizer } from '../engine/tokenizer.ts';
import { type EvalPoint, type Progress, type TrainControl, type TrainResult, train } from '../engine/train.ts';
import { VAL_FRACTION } from './settings.ts';

/**
 * The tokenizer and token split: the built-in corpus (ASCII vocabulary, so
 * later stages meet no unknown character) or the text's own characters; a
 * model trained further passes its own tokenizer.
 */
export function pretrainData(
  source: { builtin: true; chars: number; genres?: GenreWeights } | { builtin: false; text: string }, seed: number, valFraction = VAL_FRACTION.default, own?: CharTokenizer,
): { tokenizer: CharTokenizer; data: TextSplit } {
  const tokenizer = own ?? (source.builtin ? CharTokenizer.ascii() : CharTokenizer.fromText(source.text));
  const ids = source.builtin ? corpusTokens(tokenizer, buildCorpus(seed, source.chars, source.genres)) : Int32Array.from(tokenizer.encode(source.text));
  return { tokenizer, data: splitTokens(ids, valFraction) };
}

export interface PretrainRun {
  preset: PresetName;
  iters: number;
  lr: number;
  batchSize: number;
  blockSize: number;
  evalEvery: number;
  seed: number;
  /** Lowest rate at the end of the cosine (default a tenth of `lr`). */
  minLr?: number;
  /** Warm-up steps (default the preset's, at most a tenth of the run). */
  warmup?: number;
  /** The model's steps so far (training further): this run's steps count from there. */
  startStep?: number;
}

export interface PretrainHooks {
  control?: TrainControl;
  logEvery?: number;
  onProgress?: (p: Progress) => void;
  onEval?: (e: EvalPoint) => void | Promise<void>;
}

/** `o.iters` steps of next-token training on `data`; the result's optimiser is the caller's to dispose. */
export function runPretrain(model: GPT, data: TextSplit, o: PretrainRun, hooks: PretrainHooks = {}): Promise<TrainResult> {
  const d = TRAIN_DEFAULTS[o.preset];
  const from = o.startStep ?? 0;
  const warmup = o.warmup ?? Math.min(d.warmup, Math.floor(o.iters / 10));
  return train(model, pretrainStage(data, { batchSize: o.batchSize, blockSize: o.blockSize, seed: o.seed }), {
    iters: from + o.iters, startStep: from, clip: d.clip, evalEvery: o.evalEvery, control: hooks.control, logEvery: hooks.logEvery,
    schedule: { lr: o.lr, minLr: o.minLr ?? o.lr / 10, warmup, decaySteps: from + o.iters },
    adamw: { beta2: d.beta2, weightDecay: d.weightDecay },
    onProgress: hooks.onProgress, onEval: hooks.onEval,
  });
}
