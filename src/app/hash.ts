/**
 * The shareable part of the page's setup in the URL hash: model size,
 * steps, learning rates, seed and the loaded model's step, e.g.
 * #preset=small&iters=300&seed=1&sftIters=200&step=3000. Unknown or
 * out-of-range values are ignored, never trusted.
 */
export interface Setup {
  preset?: string;
  iters?: number;
  lr?: number;
  seed?: number;
  sftIters?: number;
  sftLr?: number;
  step?: number;
  prompt?: string;
}

const NUMBERS: Record<string, [number, number]> = {
  iters: [1, 100_000], lr: [1e-6, 0.1], seed: [0, 2 ** 31], sftIters: [1, 100_000], sftLr: [1e-6, 0.1], step: [0, 1e9],
};

export function parseHash(hash: string): Setup {
  const out: Record<string, string | number> = {};
  for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ''))) {
    if (k in NUMBERS) {
      const n = Number(v);
      const [lo, hi] = NUMBERS[k];
      if (Number.isFinite(n) && n >= lo && n <= hi) out[k] = n;
    } else if (k === 'preset' && ['tiny', 'baby', 'small'].includes(v)) out[k] = v;
    else if (k === 'prompt' && v.length <= 500) out[k] = v;
  }
  return out as Setup;
}

export function formatHash(s: Setup): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== '') p.set(k, String(v));
  return `#${p.toString()}`;
}
