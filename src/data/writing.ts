/**
 * Sentence and line makers about a topic, shared by the instruction tasks
 * (reference answers) and the pretraining corpus (prose), so the tuned model
 * is asked for the kind of text it already saw in pretraining.
 */
import type { Rng } from '../engine/rng.ts';
import { ADJECTIVES, ADVERBS, PREPOSITIONS, SETTINGS, VERBS } from './vocabulary.ts';

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const SENTENCES = [
  'The {t} is {a} and {b}.',
  'In the {s}, the {w} {v} {d}.',
  'Many people think of {w} and {x} when they hear the word {t}.',
  'The {w} {v} {p} {s}.',
  'A {a} {w} is part of every {t}.',
  'Near the {s} you can find {w} and {x}.',
  'The {t} has {a} {w} and {b} {x}.',
  'Some say the {t} is best seen {d}.',
  'Children learn about the {t} from its {w}.',
  'The {w} of the {t} {v} {d}.',
];

/** One sentence about a topic, from its related words. */
export function topicSentence(topic: string, words: string[], rng: Rng): string {
  const [w, x] = rng.shuffle(words);
  const t = rng.pick(SENTENCES);
  return cap(
    t.replace(/\{(\w)\}/g, (_, k: string) =>
      ({ t: topic, w, x: x ?? w, a: rng.pick(ADJECTIVES), b: rng.pick(ADJECTIVES), v: rng.pick(VERBS), d: rng.pick(ADVERBS), p: rng.pick(PREPOSITIONS), s: rng.pick(SETTINGS) })[k] ?? '',
    ),
  );
}

/** A short paragraph of n distinct sentences. */
export function topicParagraph(topic: string, words: string[], rng: Rng, n: number): string {
  const out = new Set<string>();
  for (let i = 0; out.size < n && i < n * 10; i++) out.add(topicSentence(topic, words, rng));
  return [...out].join(' ');
}

/** A short line (no final period) about the topic, for lists and line answers. */
export function topicLine(topic: string, words: string[], rng: Rng): string {
  const w = rng.pick(words);
  return cap(
    rng.pick([
      `the ${rng.pick(ADJECTIVES)} ${w} of the ${topic}`,
      `${w} ${rng.pick(PREPOSITIONS)} ${rng.pick(SETTINGS)}`,
      `a ${rng.pick(ADJECTIVES)} ${w} ${rng.pick(VERBS)} ${rng.pick(ADVERBS)}`,
      `the ${topic} and its ${w}`,
      `${rng.pick(ADJECTIVES)} ${w} ${rng.pick(ADVERBS)}`,
    ]),
  );
}

/** More line shapes than `topicLine`, for SFT answers whose lines should differ (see `topicLines`). */
const LINE_SHAPES: ((t: string, w: string, r: Rng) => string)[] = [
  (t, w, r) => `the ${r.pick(ADJECTIVES)} ${w} of the ${t}`,
  (_t, w, r) => `${w} ${r.pick(PREPOSITIONS)} ${r.pick(SETTINGS)}`,
  (_t, w, r) => `a ${r.pick(ADJECTIVES)} ${w} ${r.pick(VERBS)} ${r.pick(ADVERBS)}`,
  (t, w) => `the ${t} and its ${w}`,
  (_t, w, r) => `${r.pick(ADJECTIVES)} ${w} ${r.pick(ADVERBS)}`,
  (t, w, r) => `every ${t} has its ${r.pick(ADJECTIVES)} ${w}`,
  (_t, w, r) => `we remember the ${w} ${r.pick(ADVERBS)}`,
  (t, w, r) => `in the ${t}, the ${w} ${r.pick(VERBS)}`,
  (_t, w, r) => `${w}, ${r.pick(ADJECTIVES)} and ${r.pick(ADJECTIVES)}`,
  (t, w, r) => `the ${w} ${r.pick(VERBS)} when the ${t} is ${r.pick(ADJECTIVES)}`,
];

/**
 * `n` distinct lines about the topic that each take the next of its related
 * words (shuffled, then round again) and the next of the line shapes, in
 * their order from a random one: what a list or a poem of lines does, moving
 * on instead of saying one thing twice. The order is what a small model can
 * follow: which shape comes next depends only on the line before. With the
 * shapes drawn freely, or even shuffled without repeats, a model that does
 * not know a held-out topic's words wrote its likeliest line every time
 * ("The fog and its stars." five times). SFT answers use it; the suites and
 * the corpus keep `topicLine`.
 */
export function topicLines(topic: string, words: string[], rng: Rng, n: number): string[] {
  const order = rng.shuffle(words.length ? words : [topic]);
  const first = rng.int(LINE_SHAPES.length);
  const out = new Set<string>();
  for (let i = 0; out.size < n && i < n * 20; i++) out.add(cap(LINE_SHAPES[(first + i) % LINE_SHAPES.length](topic, order[out.size % order.length], rng)));
  return [...out];
}
