/**
 * The preference stages' settings: DPO and the reward model. Their runs are
 * the engine's `trainDpo` and `trainRewardModel` (each already the one loop
 * that `heed dpo`, `heed rm`, `heed rl --reward rm`, the worker and the
 * benchmarks call); what they lacked was one place for their defaults and
 * ranges. Two recipes each, written once: the tables' defaults are the
 * command line's (built-in pairs by the thousand; DPO's lr and β are the ones
 * bench:prefs measured), and the `*_STEER` records are the page's, for a
 * learner's ~20 picks (bench:steer's defaults).
 */
import { type Param, batchParam, defaults, lrParam, seedParam, stepsParam } from './params.ts';

export const DPO_PARAMS = {
  iters: stepsParam(200),
  lr: lrParam(1e-4),
  beta: { flag: 'beta', label: 'Beta', default: 0.5, min: 1e-4, max: 10, step: 0.05, help: 'how far the implicit reward may move from the reference' },
  batchSize: batchParam(8),
  sftWeight: { flag: 'sft-weight', label: 'SFT weight', default: 0, min: 0, max: 10, step: 0.1, help: "adds X x the chosen answers' per-token NLL to the loss (DPO + NLL)" },
  seed: seedParam(1),
} satisfies Record<string, Param>;

export const REWARD_MODEL_PARAMS = {
  iters: stepsParam(200),
  lr: lrParam(1e-4),
  batchSize: batchParam(8),
  seed: seedParam(1),
} satisfies Record<string, Param>;

export const DPO_DEFAULTS = defaults(DPO_PARAMS);
export const REWARD_MODEL_DEFAULTS = defaults(REWARD_MODEL_PARAMS);

/** The page's DPO on a learner's picks: β 0.1 lets ~20 pairs move the model within 30 steps. */
export const DPO_STEER = { iters: 30, lr: 1e-4, beta: 0.1 } as const;
/** The page's reward model: a 'peak' read-out on a frozen trunk, whose head alone learns at a high rate. */
export const REWARD_MODEL_STEER = { iters: 30, lr: 1e-2, readout: 'peak' } as const;
