/**
 * The shareable part of the page's setup in the URL hash: model size,
 * steps, learning rates, seed and the loaded model's step, e.g.
 * #preset=small&iters=300&seed=1&sftIters=200&step=3000; a lesson link adds
 * lesson=N (its step), model=NAME (the shipped model it starts from) and
 * locked=1 (the engineer's controls hidden); threads=N sets the wasm
 * threads (1 leaves the other cores free; read at start-up). Unknown or
 * out-of-range values are ignored, never trusted: keys are looked up among
 * this module's own names only (`#toString=1` or `#__proto__=1` is just an
 * unknown key), numbers must be plain decimals (no hex, no "1e999"), and
 * parseHash never throws, so a hand-edited link still opens the page.
 */
import { decimalIn } from '../engine/numbers.ts';
import type { Param } from '../stages/params.ts';
import { SFT_PARAMS, pretrainParams } from '../stages/settings.ts';

export interface Setup {
  preset?: string;
  iters?: number;
  lr?: number;
  seed?: number;
  sftIters?: number;
  sftLr?: number;
  step?: number;
  prompt?: string;
  lesson?: number;
  /** A shipped model's name (whether one exists is the page's to check). */
  model?: string;
  locked?: number;
  /** wasm threads asked for (1 to 8); the page's own default is one per two logical cores. */
  threads?: number;
}

const range = (p: Param): [number, number, boolean] => [p.min, p.max, Boolean(p.integer)];
const PRETRAIN = pretrainParams('tiny'); // ranges are the same for every size

/** Range of each number, and whether it must be an integer: the stages' settings as the worker checks them. */
const NUMBERS: Record<string, [number, number, boolean]> = {
  iters: range(PRETRAIN.iters), lr: range(PRETRAIN.lr), seed: range(PRETRAIN.seed),
  sftIters: range(SFT_PARAMS.iters), sftLr: range(SFT_PARAMS.lr), step: [0, 1e9, true],
  lesson: [1, 99, true], locked: [0, 1, true], threads: [1, 8, true],
};
const MODEL_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const PRESETS = ['tiny', 'baby', 'small'];
const MAX_HASH = 4096; // a longer hash is not one Heed wrote

export function parseHash(hash: string): Setup {
  const out: Setup = {};
  try {
    if (typeof hash !== 'string' || hash.length > MAX_HASH) return out;
    for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ''))) {
      if (Object.hasOwn(NUMBERS, k)) {
        const [lo, hi, integer] = NUMBERS[k];
        const n = decimalIn(v, lo, hi, integer);
        if (n !== undefined) out[k as 'iters'] = n;
      } else if (k === 'preset' && PRESETS.includes(v)) out.preset = v;
      else if (k === 'prompt' && v.length > 0 && v.length <= 500) out.prompt = v;
      else if (k === 'model' && MODEL_NAME.test(v)) out.model = v;
    }
  } catch {
    return {}; // nothing here is worth a blank page
  }
  return out;
}

export function formatHash(s: Setup): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== '') p.set(k, String(v));
  return `#${p.toString()}`;
}
