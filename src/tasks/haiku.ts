/**
 * heed:haiku {topic} — three lines of 5, 7 and 5 syllables that mention the
 * topic or a word related to it. Generated from the topic's words by a
 * seeded search over line patterns until the syllables fit exactly.
 */
import { findTopic } from '../data/topics.ts';
import { lineSyllables } from '../data/syllables.ts';
import { ADJECTIVES, ADVERBS, PREPOSITIONS, SETTINGS, VERBS } from '../data/vocabulary.ts';
import { cap, topicLine } from '../data/writing.ts';
import type { Rng } from '../engine/rng.ts';
import { type GenContext, type Kwargs, type Task, phrasing, strArg, verdict } from './types.ts';

const PATTERNS = [
  (w: string, r: Rng) => `${r.pick(ADJECTIVES)} ${w} ${r.pick(VERBS)}`,
  (w: string, r: Rng) => `the ${w} ${r.pick(VERBS)} ${r.pick(ADVERBS)}`,
  (_: string, r: Rng) => `${r.pick(PREPOSITIONS)} ${r.pick(ADJECTIVES)} ${r.pick(SETTINGS)}`,
  (w: string, r: Rng) => `a ${r.pick(ADJECTIVES)} ${w} ${r.pick(PREPOSITIONS)} ${r.pick(SETTINGS)}`,
  (w: string, r: Rng) => `${w} ${r.pick(PREPOSITIONS)} ${r.pick(SETTINGS)}`,
  (_: string, r: Rng) => `the ${r.pick(SETTINGS)} ${r.pick(VERBS)} ${r.pick(ADVERBS)}`,
  (w: string, r: Rng) => `${r.pick(ADJECTIVES)} ${r.pick(ADJECTIVES)} ${w}`,
];

/** A line of exactly `target` syllables; `w` is the word it should feature. */
function line(target: number, w: string, rng: Rng, mustUse: boolean): string {
  for (let i = 0; i < 500; i++) {
    const p = rng.pick(PATTERNS);
    const text = p(w, rng);
    if ((!mustUse || text.includes(w)) && lineSyllables(text) === target) return text;
  }
  // Always reachable: pad the word with one-syllable adjectives.
  let text = w;
  while (lineSyllables(text) < target) text = `${rng.pick(['cold', 'soft', 'pale', 'still', 'old', 'slow', 'dark', 'warm'])} ${text}`;
  return lineSyllables(text) === target ? text : line(target, 'rain', rng, false);
}

/**
 * A free 5-7-5 haiku about the topic, for the pretraining corpus: random
 * line patterns over the topic's words, the topic itself in the first line
 * whenever it fits.
 */
export function freeHaiku(topic: string, words: string[], rng: Rng): string {
  const key = lineSyllables(topic) <= 5 ? topic : rng.pick(words.filter((w) => lineSyllables(w) <= 3));
  return [line(5, key, rng, true), line(7, rng.pick(words), rng, false), line(5, rng.pick(words), rng, false)].join('\n');
}

/**
 * First-line endings by the syllables they add (the topic brings the rest of
 * the five), second lines (7) and closing lines (5): few enough for a tiny
 * model to learn by heart, and free of every held-out topic's words, so a
 * held-out haiku is only "on topic" when the model names the topic itself.
 */
export const HAIKU_TAILS: string[][] = [
  [''],
  ['grows', 'waits', 'sings'],
  ['at noon', 'is here', 'all day'],
  ['through the day', 'by the gate', 'once again'],
  ['in the garden', 'by the window', 'as the day ends'],
];
export const HAIKU_MIDDLES = ['we sit and think of nothing', 'my friend and I sit and wait', 'the bus goes by the corner', 'a child laughs by the window'];
export const HAIKU_ENDS = ['and the day goes on', 'the world holds its breath', 'and then it is gone', 'all of us are here'];

/**
 * The reference haiku for instruction pairs: the topic (or, when the topic is
 * too long, a related word) opens the first line, an ending that brings the
 * line to five syllables, then a second and a closing line from small banks.
 * Regular on purpose: what a small model must learn is to copy the topic from
 * the request, count its syllables and keep the form, for topics it has never
 * seen tuned.
 */
export function makeHaiku(topic: string, words: string[], rng: Rng): string {
  const fits = (w: string) => lineSyllables(w) <= 5;
  const key = fits(topic) ? topic.toLowerCase() : rng.pick(words.filter(fits).concat('rain'));
  const first = `${key} ${rng.pick(HAIKU_TAILS[5 - lineSyllables(key)])}`.trim();
  return [first, rng.pick(HAIKU_MIDDLES), rng.pick(HAIKU_ENDS)].join('\n');
}

/** Words that count as "on topic": the topic's name and its related words (and simple plurals). */
export function topicWords(topic: string): string[] {
  const t = findTopic(topic);
  return [topic.toLowerCase(), ...(t?.words ?? [])];
}

const mentions = (text: string, words: string[]) => {
  const lower = text.toLowerCase();
  return words.some((w) => new RegExp(`(?<![\\p{L}])${w}(s|es)?(?![\\p{L}])`, 'u').test(lower));
};

export function verifyHaiku(r: string, k: Kwargs) {
  const topic = strArg(k, 'topic');
  const lines = r.split('\n').map((l) => l.trim().replace(/^"|"$/g, '')).filter(Boolean);
  if (lines.length !== 3) return verdict(false, `${lines.length} lines (a haiku has 3)`);
  const counts = lines.map(lineSyllables);
  if (counts.join() !== '5,7,5') return verdict(false, `syllables ${counts.join('-')} (5-7-5 wanted)`);
  if (!mentions(r, topicWords(topic))) return verdict(false, `5-7-5 but not about ${topic}`);
  return verdict(true, `3 lines, 5-7-5, about ${topic}`);
}

const PHRASINGS = {
  train: [
    'Write a haiku about {topic}.', 'Compose a haiku on {topic}.', 'Please write a haiku about {topic}.', 'Can you write a haiku about {topic}?',
    'A haiku about {topic}, please.', '{Topic}: write a haiku.', 'Give me a haiku about {topic}.', 'I need a haiku on the subject of {topic}.',
    'Haiku time! The topic is {topic}.', 'My theme is {topic}. Write me a haiku.', '{Topic}. A haiku, please.', 'Write a short haiku with {topic} as its theme.',
    "I'd like a haiku about {topic}.", 'Could you compose a haiku on {topic}?', 'Write me a haiku. Subject: {topic}.', '{Topic}: a haiku, if you can.',
    'Make a haiku about {topic}.', 'Let me read a haiku about {topic}.', 'Topic: {topic}. Form: haiku.', 'Please compose a short haiku about {topic}.',
    'Would you write a haiku for me about {topic}?', 'Try a haiku on {topic}.', '{Topic} is the subject. Please write a haiku.', 'One haiku about {topic}, please.',
    'Write a haiku about {topic} for my notebook.', 'In a haiku, tell me about {topic}.', 'Write a haiku in praise of {topic}.', 'Picture {topic}. Now write a haiku.',
    'Poem type: haiku. Subject: {topic}.', 'A haiku whose subject is {topic}, please.', 'Sum up {topic} in a haiku.', '{Topic}! Haiku, please.',
  ],
  heldout: ['{Topic} - give me a haiku.', 'I would love a haiku on the theme of {topic}.'],
};

const OPENERS = ['Hi!', 'Hello.', 'Quick one:', 'For my class:', 'A small task.', 'Poetry time.', 'Here is a request.', 'Good morning!'];
const CLOSERS = ['Thanks!', 'Thank you.', 'Keep it simple.', 'Make it calm.', 'Just the poem, please.', 'I will read it aloud.'];

export const haiku: Task = {
  id: 'heed:haiku',
  kind: 'content',
  conflicts: ['heed:number_lines', 'heed:one_word', 'detectable_format:number_bullet_lists', 'heed:start_word', 'keywords:existence', 'detectable_format:title', 'detectable_content:postscript', 'startend:end_checker', 'keywords:forbidden_words'],
  kwargs: (ctx: GenContext) => ({ topic: ctx.topic }),
  phrasings: PHRASINGS,
  phrase: (_k, ctx) => {
    const core = phrasing(ctx, PHRASINGS, { topic: ctx.topic, Topic: cap(ctx.topic) });
    // Training requests sometimes come with a greeting or a closing word, so the topic is found by its
    // neighbours ("about", "subject:"), not by where it sits in the request.
    if (ctx.split !== 'train') return core;
    const r = ctx.rng.next();
    return r < 0.2 ? `${ctx.rng.pick(OPENERS)} ${core}` : r < 0.4 ? `${core} ${ctx.rng.pick(CLOSERS)}` : core;
  },
  apply: (_d, _k, ctx) => makeHaiku(ctx.topic, ctx.words, ctx.rng),
  nearMiss: (good, _k, ctx) =>
    ctx.rng.next() < 0.5 ? `${good}\n${topicLine(ctx.topic, ctx.words, ctx.rng).toLowerCase()}` : good.split('\n').slice(0, 2).join('\n'),
  verify: verifyHaiku,
};
