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
