/**
 * The pretraining stage as one run, shared by `heed pretrain` and the
 * worker's `pretrain` call: its settings (defaults travel with the model
 * size, src/engine/config.ts TRAIN_DEFAULTS), its data (the built-in corpus
 * in the ASCII vocabulary, or a person's text, a tenth held out for the
 * validation loss) and its schedule: cosine to a tenth of the rate after a
 * warm-up of at most a tenth of the run. Steps count from the model's own:
 * a model trained further continues the curve (no second warm-up) and its
 * cosine ends with this run.
 */
import { buildCorpus, corpusTokens } from '../data/corpus.ts';
import { type PresetName, TRAIN_DEFAULTS } from '../engine/config.ts';
import type { GPT } from '../engine/model.ts';
import { type TextSplit, pretrainStage, splitTokens } from '../engine/pretrain.ts';
import { CharTokenizer } from '../engine/tokenizer.ts';
import { type EvalPoint, type Progress, type TrainControl, type TrainResult, train } from '../engine/train.ts';
import { type Param, batchParam, lrParam, seedParam, stepsParam } from './params.ts';

/** Pretraining's settings for a model size (its recipe's defaults). */
export function pretrainParams(preset: PresetName) {
  const d = TRAIN_DEFAULTS[preset];
  return {
    iters: stepsParam(d.iters),
    lr: lrParam(d.lr, 1e-6),
    batchSize: batchParam(d.batchSize),
    evalEvery: { flag: 'eval-every', label: 'Eval every', default: d.evalEvery, min: 1, max: 100_000, integer: true, unit: 'steps', help: 'steps between train and validation loss checks' },
    seed: seedParam(1),
  } satisfies Record<string, Param>;
}

/** Share of the text held out for the validation loss (the shipped base was trained with it). */
export const VAL_FRACTION: Param = { flag: 'val-fraction', label: 'Validation share', default: 0.1, min: 0, max: 0.5, step: 0.05, help: "hold out the text's tail for validation" };

/**
 * The tokenizer and token split: the built-in corpus (ASCII vocabulary, so
 * later stages meet no unknown character) or the text's own characters; a
 * model trained further passes its own tokenizer.
 */
export function pretrainData(
  source: { builtin: true; chars: number } | { builtin: false; text: string }, seed: number, valFraction = VAL_FRACTION.default, own?: CharTokenizer,
): { tokenizer: CharTokenizer; data: TextSplit } {
  const tokenizer = own ?? (source.builtin ? CharTokenizer.ascii() : CharTokenizer.fromText(source.text));
  const ids = source.builtin ? corpusTokens(tokenizer, buildCorpus(seed, source.chars)) : Int32Array.from(tokenizer.encode(source.text));
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
  onEval?: (e: EvalPoint) => void;
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
