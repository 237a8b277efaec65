/**
 * Every stage's settings table, in one module the page can import without
 * pulling in the engine or the data generators: name (flag and label),
 * default, range, unit and help of each setting (see params.ts for how the
 * CLI, the worker and the page read them). Tuned defaults live here once:
 * SFT's are the lesson recipe (src/datasets/lesson.ts); pretraining's travel with
 * the model size (TRAIN_DEFAULTS). Where the page runs a different recipe
 * than the command line (preference tuning after a learner's ~20 picks), it
 * is a named record here too (`*_STEER`, bench:steer's defaults), not a
 * literal in the page.
 */
import { LESSON_SFT } from '../datasets/lesson.ts';
import { type PresetName, TRAIN_DEFAULTS } from '../engine/config.ts';
import { type Param, batchParam, defaults, lrParam, seedParam, stepsParam } from './params.ts';

// SFT

const L = LESSON_SFT;

/** SFT's settings; the defaults are the lesson recipe's. */
export const SFT_PARAMS = {
  iters: stepsParam(L.steps),
  lr: lrParam(L.lr, 1e-6),
  batchSize: batchParam(L.batchSize),
  warmup: { flag: 'warmup', label: 'Warm-up', default: L.warmup, min: 0, max: 100_000, integer: true, unit: 'steps', help: 'most warm-up steps (a tenth of the run at most)' },
  seed: seedParam(L.seed),
  probeEvery: { flag: 'probe-every', label: 'Probe every', default: L.probeEvery, min: 1, max: 100_000, integer: true, unit: 'steps', help: 'steps between probe rounds' },
} satisfies Record<string, Param>;

/** The built-in pairs' settings (`heed sft --pairs builtin`): how many, and of what (see SftMix). */
export const SFT_PAIR_PARAMS = {
  count: { flag: 'count', label: 'Pairs', default: L.pairs, min: 1, max: 1e6, integer: true, unit: 'pairs', help: 'how many built-in pairs' },
  subjectShare: share('subject-share', 'Subject share', L.mix.subjectShare, 'share of built-in pairs about common nouns'),
  haikuShare: share('haiku-share', 'Haiku share', L.mix.haikuShare, 'share of those that ask for a haiku'),
  syllableBalance: share('syllable-balance', 'Syllable balance', L.mix.syllableBalance, 'share of those haiku whose noun is drawn by syllables, 1 to 5 equally'),
  peopleShare: share('people-share', "People's words", L.mix.peopleShare, "share of those haiku asked in people's words"),
  subjectEcho: share('subject-echo', 'Subject echo', L.mix.subjectEcho, 'share of those haiku whose third line brings the subject back'),
  topicHaikuShare: share('topic-haiku-share', 'Topic haiku', L.mix.topicHaikuShare, 'share of the other pairs that ask for a haiku about a training topic'),
  mixShare: { ...share('mix-share', 'Pretraining share', 0, 'share of each batch that is built-in pretraining text'), max: 0.9 },
} satisfies Record<string, Param>;

function share(flag: string, label: string, def: number, help: string): Param {
  return { flag, label, default: def, min: 0, max: 1, step: 0.05, help };
}

export type SftSettings = Record<keyof typeof SFT_PARAMS, number>;
export const SFT_DEFAULTS: SftSettings = defaults(SFT_PARAMS);

// Pretraining

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

/** The page's first pretraining run: the tiny size, long and gentle enough to show words forming within a minute. */
export const PRETRAIN_PAGE = { preset: 'tiny', iters: 300, lr: 1e-3, batchSize: 8 } as const;

/** Share of the text held out for the validation loss (the shipped base was trained with it). */
export const VAL_FRACTION: Param = { flag: 'val-fraction', label: 'Validation share', default: 0.1, min: 0, max: 0.5, step: 0.05, help: "hold out the text's tail for validation" };

const keepParam = (): Param => ({
  flag: 'keep', label: 'Share of the step kept', default: 1, min: 0, max: 1, step: 0.05,
  help: 'at the end, keep this share of the change from the start (0.5: the mean of the start and the tuned weights, WiSE-FT)',
});

// RL

export const RL_PARAMS = {
  iters: stepsParam(50),
  lr: lrParam(2e-5),
  k: { flag: 'k', label: 'Samples per prompt', default: 4, min: 2, max: 64, integer: true, help: 'answers sampled per prompt (their mean is the baseline)' },
  promptsPerStep: { flag: 'prompts', label: 'Prompts per step', default: 4, min: 1, max: 64, integer: true, help: 'prompts per step' },
  beta: { flag: 'beta', label: 'Beta', default: 0.05, min: 0, max: 10, step: 0.01, help: 'KL penalty to the starting model' },
  temperature: { flag: 'temperature', label: 'Temperature', default: 1, min: 0.05, max: 5, step: 0.1, help: 'sampling temperature' },
  maxNewTokens: { flag: 'max-tokens', label: 'Answer length', default: 120, min: 1, max: 1000, integer: true, unit: 'tokens', help: 'longest sampled answer' },
  keep: keepParam(),
  seed: seedParam(1),
} satisfies Record<string, Param>;

export type RlSettings = Record<keyof typeof RL_PARAMS, number>;
export const RL_DEFAULTS: RlSettings = defaults(RL_PARAMS);

/**
 * The page's recipe after a learner's picks (bench:steer's defaults): short, a
 * higher rate, a light KL, and half the step kept (the mean of the start and
 * the tuned weights: the taste stays, most of the checks come back). Answers
 * sampled at temperature 0.5, nearer the greedy answers the meter reads, for
 * 8 prompts a step: chosen on the training suite and a second set of meter
 * prompts (seeds 1 and 2, three tastes), where the six meters moved 35 points
 * in all at temperature 1 with 4 prompts, 70 at 0.5 (the checks −2.5 points
 * on average), 82.5 at 0.5 with 8 prompts (the checks unchanged on average)
 * (docs/experiments.md, 2026-12-03).
 */
export const RL_STEER = { iters: 12, lr: 1e-4, beta: 0.02, k: 4, keep: 0.5, temperature: 0.5, promptsPerStep: 8 } as const;

// DPO and the reward model

export const DPO_PARAMS = {
  iters: stepsParam(200),
  lr: lrParam(1e-4),
  beta: { flag: 'beta', label: 'Beta', default: 0.5, min: 1e-4, max: 10, step: 0.05, help: 'how far the implicit reward may move from the reference' },
  batchSize: batchParam(8),
  sftWeight: { flag: 'sft-weight', label: 'SFT weight', default: 0, min: 0, max: 10, step: 0.1, help: "adds X x the chosen answers' per-token NLL to the loss (DPO + NLL)" },
  keep: keepParam(),
  seed: seedParam(1),
} satisfies Record<string, Param>;

export const REWARD_MODEL_PARAMS = {
  iters: stepsParam(200),
  lr: lrParam(1e-4),
  batchSize: batchParam(8),
  seed: seedParam(1),
} satisfies Record<string, Param>;

export const REWARD_MODEL_DEFAULTS = defaults(REWARD_MODEL_PARAMS);

/** The page's DPO on a learner's picks: β 0.1 lets ~20 pairs move the model within 30 steps; half the step kept, as RL's. */
export const DPO_STEER = { iters: 30, lr: 1e-4, beta: 0.1, keep: 0.5 } as const;
/**
 * The page's reward model: one weight per word (wordRewardModel.ts), fitted to
 * the picks in full batches; L2 0.01 chosen on 120 validation pairs per taste
 * (docs/experiments.md, 2026-12-03).
 */
export const WORD_REWARD_MODEL = { l2: 0.01, iters: 2000, lr: 0.5 } as const;
/** The page's reward model until 2026-12-03: a 'peak' read-out on a frozen GPT trunk (bench:steer --rm-readout peak). */
export const TRUNK_PROBE_STEER = { iters: 30, lr: 1e-2, readout: 'peak' } as const;
