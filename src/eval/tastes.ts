/**
 * Tastes: preferences a learner can hold that the instruction checks do not
 * test (a colour word, a gentle tone, a favourite word), each with a check
 * written for it. The check is the "taste meter" (the share of answers that
 * have the feature) and, in `npm run bench:steer`, the scripted learner's
 * judgement. One module for the bench, the worker and the page, so the meter
 * the page shows is the one the bench measured.
 *
 * Each taste also grades an answer (`score`, higher = more to the taste), so a
 * learner can still prefer one of two answers that both have the feature.
 * Tastes were chosen among features the shipped `sft` already writes now and
 * then when sampled (measured 2026-12-03 on 240 samples of 60 prompts: a
 * colour word 21 %, someone in it 28 %, a gentle tone 20 %; the samples of
 * about half the prompts differ on each): preference tuning can only
 * reinforce what the model sometimes does. An answer that ends with a
 * question was 0 of 240 samples, and "garden" (offered for the earlier `sft`)
 * never comes, so neither is offered.
 */
// Only types imported: the page's panel reads TASTES, and the prompt generators stay in the worker's bundle.
import type { Rng } from '../engine/rng.ts';

export interface Taste {
  id: string;
  name: string; // what the page shows: "a colour word"
  describe: string; // one line for the learner
  score(answer: string): number;
  has(answer: string): boolean;
}

const count = (re: RegExp, s: string) => (s.match(re) ?? []).length;

const COLOURS = /\b(red|orange|yellow|green|blue|purple|violet|pink|brown|black|white|gr[ae]y|silver|gold|golden|amber|crimson|scarlet)\b/gi;
// Gentle and grim words as the shipped models write them (haiku lines such as "and the day goes on" / "and then it is gone").
const GENTLE = /\b(warm|soft|softly|gentle|gently|laughs?|friends?|smiles?|calm|sweet|day goes on|all of us are here|home|together)\b/gi;
const PEOPLE = /\b(child|children|friends?|man|men|woman|women|aunt|uncle|cook|girls?|boys?|nurse|monk|mother|father|sister|brother|driver|farmer|teacher|people)\b/gi;
const GRIM = /\b(gone|dark|breath|cold|alone|nothing|storm|silent|dies?|lost|shadows?)\b/gi;

/** A taste for any of a set of words: the more of them, the better; one is enough to have it. */
const wordsTaste = (id: string, name: string, describe: string, re: RegExp): Taste => ({ id, name, describe, score: (a) => count(re, a), has: (a) => count(re, a) > 0 });

export const colourTaste = wordsTaste('colour', 'a colour word', 'Answers that name a colour (red, green, silver, golden, ...).', COLOURS);

export const gentleTaste: Taste = {
  id: 'gentle',
  name: 'a gentle tone',
  describe: 'Answers with more gentle words (warm, soft, friend, "the day goes on") than grim ones (gone, dark, alone, nothing).',
  score: (a) => count(GENTLE, a) - count(GRIM, a),
  has: (a) => count(GENTLE, a) > count(GRIM, a),
};

export const peopleTaste = wordsTaste('people', 'someone in it', 'Answers with a person in them (a child, my friend, the cook, a monk, ...).', PEOPLE);

/** A favourite word (letters only, 2 to 20 of them): answers that use it. */
export function wordTaste(word: string): Taste {
  const w = word.trim().toLowerCase();
  if (!/^[a-z]{2,20}$/.test(w)) throw new Error(`a favourite word is 2 to 20 letters (a-z), got "${word}"`);
  return wordsTaste(`word:${w}`, `the word "${w}"`, `Answers that use the word "${w}".`, new RegExp(`\\b${w}\\b`, 'gi'));
}

/** The named tastes of the lesson; `word:WORD` makes any favourite word. */
export const TASTES: readonly Taste[] = [colourTaste, peopleTaste, gentleTaste];

export function tasteById(id: string): Taste {
  const named = TASTES.find((t) => t.id === id);
  if (named) return named;
  if (id.startsWith('word:')) return wordTaste(id.slice(5));
  throw new Error(`unknown taste "${id}" (known: ${TASTES.map((t) => t.id).join(', ')}, or word:WORD)`);
}

/** The taste meter: the share of answers with the feature. */
export const tasteShare = (taste: Taste, answers: string[]): number => (answers.length ? answers.filter((a) => taste.has(a)).length / answers.length : 0);

/** Word-set distance (1 - Jaccard): how different two answers read. */
function distance(a: string, b: string): number {
  const wa = new Set(a.toLowerCase().split(/\W+/).filter(Boolean));
  const wb = new Set(b.toLowerCase().split(/\W+/).filter(Boolean));
  const both = [...wa].filter((w) => wb.has(w)).length;
  const all = new Set([...wa, ...wb]).size;
  return all ? 1 - both / all : 0;
}

/**
 * The two of several sampled answers worth rating: the most different pair of
 * distinct answers, among those that differ on the taste when one is given
 * (null when none does: the learner would have nothing to choose).
 * `prefer: 'similar'` takes the closest such pair instead, a minimal pair
 * where the taste is most of what differs; measured with bench:steer
 * (`--pairs-by similar`, docs/experiments.md) it taught the reward model less
 * (55 % on fresh pairs for each of three tastes, against 50-80 %), so it is not
 * the default.
 */
export function choosePair(answers: string[], taste?: Taste, prefer: 'similar' | 'different' = 'different'): [number, number] | null {
  let best: [number, number] | null = null;
  let bestD = Infinity;
  const sign = prefer === 'similar' ? 1 : -1;
  for (let i = 0; i < answers.length; i++) {
    for (let j = i + 1; j < answers.length; j++) {
      if (answers[i] === answers[j]) continue;
      if (taste && taste.score(answers[i]) === taste.score(answers[j])) continue;
      const d = sign * distance(answers[i], answers[j]);
      if (d < bestD) [best, bestD] = [[i, j], d];
    }
  }
  return best;
}

/**
 * A scripted learner with a fixed taste: picks the answer its taste grades
 * higher (null on a tie), and with probability `flip` the other one (human
 * noise).
 */
export function scriptedPick(taste: Taste, a: string, b: string, rng: Rng, flip = 0.1): 0 | 1 | null {
  const [sa, sb] = [taste.score(a), taste.score(b)];
  if (sa === sb) return null;
  const better = sa > sb ? 0 : 1;
  return rng.next() < flip ? ((1 - better) as 0 | 1) : better;
}
