/**
 * Autoregressive generation: temperature, top-k, top-p, seeded, streaming.
 *
 * Each step runs the model on the last blockSize tokens (prompts longer than
 * the block are cropped from the left), reads back one row of logits and
 * samples on the CPU in float64 with a seeded RNG, so the same seed gives the
 * same text on every backend (up to float32 ties). A logit that is NaN or
 * infinite stops generation with an error: sampling from it would print
 * `<|pad|>` (greedy picks id 0) or noise and look like an answer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { GPT, type KVCache } from './model.ts';
import { Rng } from './rng.ts';

export interface SampleOptions {
  maxNewTokens: number;
  temperature: number; // 0 = greedy
  topK: number; // 0 = off
  topP: number; // 1 = off
  seed: number;
  stopTokens: number[]; // e.g. <|end|>; not included in the output
  topCandidates: number; // how many candidates to report per step (0 = none)
}

export const SAMPLE_DEFAULTS: SampleOptions = {
  maxNewTokens: 200,
  temperature: 0.8,
  topK: 0,
  topP: 1,
  seed: 0,
  stopTokens: [],
  topCandidates: 0,
};

export interface Candidate {
  id: number;
  prob: number;
}

export interface TokenEvent {
  id: number;
  index: number; // position in the generated continuation
  candidates: Candidate[]; // top candidates with their probabilities (after temperature)
}

export interface GenerateResult {
  ids: number[]; // the continuation only
  finish: 'stop' | 'length' | 'aborted';
}

export function checkSampleOptions(o: SampleOptions): void {
  const bad = (what: string) => {
    throw new Error(`sampling: ${what}`);
  };
  if (!Number.isInteger(o.maxNewTokens) || o.maxNewTokens < 1 || o.maxNewTokens > 4096) bad('maxNewTokens must be an integer in [1, 4096]');
  if (!(o.temperature >= 0 && o.temperature <= 5)) bad('temperature must be in [0, 5]');
  if (!Number.isInteger(o.topK) || o.topK < 0) bad('topK must be a non-negative integer');
  if (!(o.topP > 0 && o.topP <= 1)) bad('topP must be in (0, 1]');
}

/** Probabilities after temperature (float64); a one-hot on the argmax when temperature is 0. */
export function softmaxWithTemperature(logits: ArrayLike<number>, temperature: number): Float64Array {
  const n = logits.length;
  const p = new Float64Array(n);
  let max = -Infinity;
  let arg = 0;
  for (let i = 0; i < n; i++) if (logits[i] > max) [max, arg] = [logits[i], i];
  if (temperature === 0) {
    p[arg] = 1;
    return p;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += p[i] = Math.exp((logits[i] - max) / temperature);
  for (let i = 0; i < n; i++) p[i] /= sum;
  return p;
}

/** Keep the top-k and the smallest top-p nucleus, renormalised. */
export function filterProbs(p: Float64Array, topK: number, topP: number): Float64Array {
  const order = Array.from(p.keys()).sort((a, b) => p[b] - p[a]);
  const keep = topK > 0 ? order.slice(0, topK) : order;
  const out = new Float64Array(p.length);
  let mass = 0;
  for (const i of keep) {
    if (mass >= topP) break;
    out[i] = p[i];
    mass += p[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= mass;
  return out;
}

export function sampleFrom(p: Float64Array, rng: Rng): number {
  let r = rng.next();
  let last = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] <= 0) continue;
    last = i;
    r -= p[i];
    if (r < 0) return i;
  }
  return last;
}

function topOf(p: Float64Array, n: number): Candidate[] {
  if (n <= 0) return [];
  return Array.from(p.keys())
    .sort((a, b) => p[b] - p[a])
    .slice(0, n)
    .map((id) => ({ id, prob: p[id] }));
}

/**
 * Logits for the next token after `context` (cropped to the block size): [V].
 * With a cache, only the tokens the cache has not seen are run; when the
 * context outgrows the block, the cache restarts from the cropped context.
 */
export async function nextTokenLogits(model: GPT, context: number[], cache?: KVCache): Promise<Float32Array> {
  const block = model.config.blockSize;
  if (cache && context.length > block) GPT.disposeCache(cache);
  const ctx = cache && cache.length > 0 ? context.slice(cache.length) : context.slice(-block);
  const row = tf.tidy(() => {
    const { logits } = model.forward(tf.tensor2d(ctx, [1, ctx.length], 'int32'), { cache });
    return tf.slice(logits, [ctx.length - 1, 0], [1, -1]); // [1, V]
  });
  const data = (await row.data()) as Float32Array;
  row.dispose();
  return data;
}

/**
 * The next token from a row of logits: greedy at temperature 0, else sampled
 * (top-k, top-p) with `rng`; `p` is the distribution it was drawn from.
 * Non-finite logits are an error (token `i`, counted from 0).
 */
function pickToken(logits: Float32Array, o: SampleOptions, rng: Rng, i: number): { id: number; p: Float64Array } {
  if (!logits.every(Number.isFinite)) {
    throw new Error(`generate: the model's logits are not finite numbers at token ${i + 1} (NaN or infinity): its weights are damaged or diverged`);
  }
  const p = softmaxWithTemperature(logits, o.temperature);
  return { id: o.temperature === 0 ? p.indexOf(1) : sampleFrom(filterProbs(p, o.topK, o.topP), rng), p };
}

/**
 * Generate a continuation of `prompt`. onToken may return false to abort
 * (a Stop button); tokens stream through it as they are sampled.
 */
export async function generate(
  model: GPT,
  prompt: number[],
  options: Partial<SampleOptions> = {},
  onToken?: (e: TokenEvent) => boolean | void,
): Promise<GenerateResult> {
  const o = { ...SAMPLE_DEFAULTS, ...options };
  checkSampleOptions(o);
  if (prompt.length === 0) throw new Error('generate: the prompt must contain at least one token');
  const rng = new Rng(o.seed);
  const context = [...prompt];
  const ids: number[] = [];
  const cache = model.newCache();
  try {
    for (let i = 0; i < o.maxNewTokens; i++) {
      const logits = await nextTokenLogits(model, context, cache);
      const { id, p } = pickToken(logits, o, rng, i);
      if (o.stopTokens.includes(id)) return { ids, finish: 'stop' };
      ids.push(id);
      context.push(id);
      // Greedy decoding still shows the model's distribution (temperature 1) in the candidate view.
      const shown = o.temperature === 0 && o.topCandidates > 0 ? softmaxWithTemperature(logits, 1) : p;
      if (onToken?.({ id, index: i, candidates: topOf(shown, o.topCandidates) }) === false) return { ids, finish: 'aborted' };
    }
    return { ids, finish: 'length' };
  } finally {
    GPT.disposeCache(cache);
  }
}

/**
 * Continuations of several prompts, sampled side by side: each token is one
 * forward pass of every row ([n, 1] through one KV cache), each row drawing
 * from its own RNG (`seeds[i]`), so row i is the text `generate` gives for
 * `prompts[i]` with that seed (up to float32 ties between a batch's products
 * and a single row's). Prompts of different lengths are left-padded: the
 * padding is masked from attention and each row's positions start at its own
 * first token (KVCache.start). On wasm a token of 4 rows costs about what a
 * token of one does and 16 rows about twice, and a row that stops leaves the
 * batch (its cache rows dropped), so RL's samples, the page's candidates to
 * rate and greedy answers to a suite come sooner (npm run bench:sample:
 * 1.8x and 1.3-1.4x on the 2-core machine). When the padded
 * rows fill the block, each row still running goes on alone, cropped as
 * `generate` crops it.
 */
export async function generateBatch(model: GPT, prompts: number[][], seeds: number[], options: Partial<SampleOptions> = {}): Promise<GenerateResult[]> {
  const o = { ...SAMPLE_DEFAULTS, ...options };
  checkSampleOptions(o);
  if (prompts.length !== seeds.length) throw new Error(`generate: ${prompts.length} prompts but ${seeds.length} seeds`);
  if (prompts.some((p) => p.length === 0)) throw new Error('generate: the prompt must contain at least one token');
  const block = model.config.blockSize;
  const V = model.config.vocabSize;
  const rows = prompts.map((p, j) => ({ rng: new Rng(seeds[j]), seq: [...p], ids: [] as number[], finish: null as GenerateResult['finish'] | null }));
  const cache = model.newCache();
  const sample = (r: (typeof rows)[number], logits: Float32Array, i: number) => {
    const { id } = pickToken(logits, o, r.rng, i);
    r.seq.push(id);
    if (o.stopTokens.includes(id)) r.finish = 'stop';
    else r.ids.push(id);
  };
  let live = rows.map((_, j) => j); // the rows still in the batch, in its order
  let i = 0;
  try {
    // Side by side while the padded rows fit the block; a prompt longer than the block starts cropped.
    for (; i < o.maxNewTokens && live.length > 0 && cache.length < block; i++) {
      let input: number[][];
      if (cache.length === 0) {
        // Every row's last blockSize tokens, left-padded to the longest: all rows end in the last column.
        const windows = rows.map((r) => r.seq.slice(-block));
        const T = Math.max(...windows.map((w) => w.length));
        const start = windows.map((w) => T - w.length);
        if (start.some((s0) => s0 > 0)) cache.start = start;
        input = windows.map((w, j) => [...new Array<number>(start[j]).fill(w[0]), ...w]);
      } else input = live.map((j) => [rows[j].seq[rows[j].seq.length - 1]]);
      const [B, T] = [input.length, input[0].length];
      const logits = tf.tidy(() => {
        const all = model.forward(tf.tensor2d(input, [B, T], 'int32'), { cache }).logits; // [B*T, V]
        return tf.reshape(tf.slice(tf.reshape(all, [B, T, V]), [0, T - 1, 0], [B, 1, V]), [B, V]);
      });
      const data = (await logits.data()) as Float32Array;
      logits.dispose();
      live.forEach((j, slot) => sample(rows[j], data.subarray(slot * V, (slot + 1) * V), i));
      // A row that stopped leaves the batch: the next tokens cost what the rows still running cost.
      const going = live.flatMap((j, slot) => (rows[j].finish ? [] : [slot]));
      if (going.length < live.length && going.length > 0) model.keepCacheRows(cache, going);
      live = going.map((slot) => live[slot]);
    }
    GPT.disposeCache(cache);
    // The padded rows fill the block: each unfinished row goes on alone (its own cache, cropped as generate crops),
    // rather than every row running the whole block afresh for each token.
    for (const r of rows.filter((x) => !x.finish)) {
      for (let j = i; j < o.maxNewTokens && !r.finish; j++) sample(r, await nextTokenLogits(model, r.seq, cache), j);
      GPT.disposeCache(cache);
    }
    return rows.map((r) => ({ ids: r.ids, finish: r.finish ?? 'length' }));
  } finally {
    GPT.disposeCache(cache);
  }
}

/** Several continuations of one prompt side by side (RL's K answers, the candidates to rate): `generateBatch` with the prompt on every row. */
export const generateMany = (model: GPT, prompt: number[], seeds: number[], options: Partial<SampleOptions> = {}): Promise<GenerateResult[]> =>
  generateBatch(model, seeds.map(() => prompt), seeds, options);
