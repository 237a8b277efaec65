/**
 * Model configuration and presets, with the reason beside each default.
 *
 * Presets are sized for where they run: `tiny` for tests (trains in seconds
 * on the cpu backend), `baby` is nanoGPT's CPU "baby GPT" (the reference we
 * check the math against), `small` is the playground default (what ships in
 * models/; pretrains in minutes on a laptop).
 */

export interface GPTConfig {
  vocabSize: number; // set from the tokenizer
  blockSize: number; // longest context, in tokens
  nLayer: number;
  nHead: number;
  nEmbd: number; // must divide by nHead
}

export type PresetName = 'tiny' | 'baby' | 'small';

export const PRESETS: Record<PresetName, Omit<GPTConfig, 'vocabSize'>> = {
  tiny: { blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 32 }, // fast enough for unit tests on cpu
  baby: { blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128 }, // nanoGPT's README "baby GPT"
  small: { blockSize: 256, nLayer: 4, nHead: 4, nEmbd: 128 }, // room for a two-instruction prompt and its answer
};

/** Limits that keep a browser tab alive; a config outside them is refused with a message. */
export const LIMITS = {
  vocabSize: [2, 4096],
  blockSize: [4, 1024],
  nLayer: [1, 12],
  nHead: [1, 16],
  nEmbd: [8, 768],
} as const;

/** A preset's name (own keys only: "toString" is no preset). */
export const isPreset = (name: string): name is PresetName => Object.hasOwn(PRESETS, name);

export function presetConfig(name: string, vocabSize: number): GPTConfig {
  if (!isPreset(name)) throw new Error(`unknown preset "${name}" (choose ${Object.keys(PRESETS).join(', ')})`);
  return validateConfig({ ...PRESETS[name], vocabSize });
}

/** Check a config (e.g. from a checkpoint header or a form) and return it typed. */
export function validateConfig(c: unknown): GPTConfig {
  const o = c as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') throw new Error('config: expected an object');
  for (const [key, [lo, hi]] of Object.entries(LIMITS)) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      const shown = JSON.stringify(v) ?? String(v);
      throw new Error(`config: ${key} must be an integer in [${lo}, ${hi}], got ${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}`);
    }
  }
  const cfg = o as unknown as GPTConfig;
  if (cfg.nEmbd % cfg.nHead !== 0) throw new Error(`config: nEmbd (${cfg.nEmbd}) must be divisible by nHead (${cfg.nHead})`);
  return { vocabSize: cfg.vocabSize, blockSize: cfg.blockSize, nLayer: cfg.nLayer, nHead: cfg.nHead, nEmbd: cfg.nEmbd };
}

/** Names and shapes of every weight, in GPT-2 naming ([in, out] like GPT-2's Conv1D). */
export function weightShapes(c: GPTConfig): [string, number[]][] {
  const C = c.nEmbd;
  const out: [string, number[]][] = [
    ['wte', [c.vocabSize, C]],
    ['wpe', [c.blockSize, C]],
  ];
  for (let i = 0; i < c.nLayer; i++) {
    const p = `h.${i}.`;
    out.push(
      [p + 'ln_1.weight', [C]], [p + 'ln_1.bias', [C]],
      [p + 'attn.c_attn.weight', [C, 3 * C]], [p + 'attn.c_attn.bias', [3 * C]],
      [p + 'attn.c_proj.weight', [C, C]], [p + 'attn.c_proj.bias', [C]],
      [p + 'ln_2.weight', [C]], [p + 'ln_2.bias', [C]],
      [p + 'mlp.c_fc.weight', [C, 4 * C]], [p + 'mlp.c_fc.bias', [4 * C]],
      [p + 'mlp.c_proj.weight', [4 * C, C]], [p + 'mlp.c_proj.bias', [C]],
    );
  }
  out.push(['ln_f.weight', [C]], ['ln_f.bias', [C]]);
  return out;
}

export function countParams(c: GPTConfig): number {
  return weightShapes(c).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}

/** Training hyperparameters that travel with a preset (baby = nanoGPT's CPU recipe). */
export interface TrainDefaults {
  iters: number;
  batchSize: number;
  lr: number;
  minLr: number;
  warmup: number;
  beta2: number;
  weightDecay: number;
  clip: number;
  evalEvery: number;
}

export const TRAIN_DEFAULTS: Record<PresetName, TrainDefaults> = {
  tiny: { iters: 200, batchSize: 8, lr: 3e-3, minLr: 3e-4, warmup: 20, beta2: 0.99, weightDecay: 0.1, clip: 1, evalEvery: 50 },
  baby: { iters: 2000, batchSize: 12, lr: 1e-3, minLr: 1e-4, warmup: 100, beta2: 0.99, weightDecay: 0.1, clip: 1, evalEvery: 250 },
  small: { iters: 3000, batchSize: 8, lr: 1e-3, minLr: 1e-4, warmup: 100, beta2: 0.99, weightDecay: 0.1, clip: 1, evalEvery: 250 },
};
