/**
 * A reward model with one weight per word: an answer's reward is the sum of
 * the weights of the words it uses (each word once), fitted to a learner's
 * picks with the Bradley-Terry loss -log σ(r+ - r-) and an L2 penalty that
 * keeps a word seen in one pick from outweighing a word seen in ten.
 *
 * Why not the GPT trunk: the page's tastes are about words (a colour, a
 * person, a gentle word), and a character-level trunk's hidden states do not
 * separate words linearly. Measured 2026-12-03 (docs/experiments.md, "A
 * reward model that can learn a taste from 30 picks"): linear probes on every
 * layer's hidden states, read at the answer's tokens ('mean', 'max', 'peak')
 * and trained on 30 colour picks, ordered 120 fresh pairs at 41-52 %; with
 * 120 picks they could not fit their own training pairs. One weight per word
 * ordered the same 120 fresh pairs at 82 %.
 *
 * Plain TypeScript, no tensors: it trains in milliseconds, crosses the worker
 * boundary as a plain object, and the page can list what it learnt.
 */

export interface WordRewardModel {
  /** Weight per word (lower case); words it never saw weigh 0. */
  weights: Record<string, number>;
}

export interface WordPair {
  chosen: string;
  rejected: string;
}

export interface WordRewardOptions {
  /** L2 penalty on the weights. */
  l2: number;
  /** Full-batch gradient steps. */
  iters: number;
  lr: number;
}

/** The words of an answer, each once: lower-case runs of letters. */
export function answerWords(answer: string): Set<string> {
  return new Set(answer.toLowerCase().match(/[a-z]+/g) ?? []);
}

/** An answer's reward: the sum of its words' weights. */
export function wordReward(m: WordRewardModel, answer: string): number {
  let r = 0;
  for (const w of answerWords(answer)) r += m.weights[w] ?? 0;
  return r;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Fits the weights to the pairs (chosen over rejected). Deterministic: full
 * batches from zero weights. A word in both answers of a pair cancels there,
 * so only the words that differ between the two answers are learnt from it.
 */
export function trainWordRewardModel(pairs: WordPair[], o: WordRewardOptions): { model: WordRewardModel; accuracy: number } {
  if (!pairs.length) throw new Error('the reward model needs at least one preference pair');
  const index = new Map<string, number>();
  const diffs = pairs.map((p) => {
    const [c, r] = [answerWords(p.chosen), answerWords(p.rejected)];
    const d: [number, number][] = [];
    for (const w of c) if (!r.has(w)) d.push([idOf(index, w), 1]);
    for (const w of r) if (!c.has(w)) d.push([idOf(index, w), -1]);
    return d;
  });
  const theta = new Float64Array(index.size);
  const margin = (d: [number, number][]) => d.reduce((s, [i, x]) => s + theta[i] * x, 0);
  for (let t = 0; t < o.iters; t++) {
    const grad = new Float64Array(theta.length);
    for (const d of diffs) {
      const g = -sigmoid(-margin(d)) / pairs.length; // d softplus(-m) / dm, averaged
      for (const [i, x] of d) grad[i] += g * x;
    }
    for (let i = 0; i < theta.length; i++) theta[i] -= o.lr * (grad[i] + o.l2 * theta[i]);
  }
  const margins = diffs.map(margin);
  const weights: Record<string, number> = {};
  for (const [w, i] of index) if (theta[i] !== 0) weights[w] = theta[i];
  return { model: { weights }, accuracy: margins.filter((m) => m > 0).length / pairs.length };
}

function idOf(index: Map<string, number>, w: string): number {
  let i = index.get(w);
  if (i === undefined) index.set(w, (i = index.size));
  return i;
}

/** Share of pairs it orders as picked (a tie counts half: it could not tell). */
export function wordRewardAccuracy(m: WordRewardModel, pairs: WordPair[]): number {
  if (!pairs.length) return NaN;
  const right = pairs.reduce((s, p) => {
    const d = wordReward(m, p.chosen) - wordReward(m, p.rejected);
    return s + (d > 0 ? 1 : d === 0 ? 0.5 : 0);
  }, 0);
  return right / pairs.length;
}

/** The words it rewards most and least: what the page shows of it. */
export function strongestWords(m: WordRewardModel, n: number): { liked: [string, number][]; disliked: [string, number][] } {
  const all = Object.entries(m.weights).sort((a, b) => b[1] - a[1]);
  return { liked: all.filter(([, v]) => v > 0).slice(0, n), disliked: all.filter(([, v]) => v < 0).slice(-n).reverse() };
}
