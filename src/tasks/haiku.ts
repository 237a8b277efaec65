/**
 * heed:haiku {topic} — three lines of 5, 7 and 5 syllables that mention the
 * topic or a word related to it. Generated from the topic's words by a
 * seeded search over line patterns until the syllables fit exactly.
 */
import { findTopic } from '../data/topics.ts';
import { lineSyllables } from '../data/syllables.ts';
import { cap, topicLine } from '../data/writing.ts';
import { Rng } from '../engine/rng.ts';
import { Poem } from '../data/poemLines.ts';
import { type GenContext, type Kwargs, type Task, phrasing, strArg, verdict } from './types.ts';

/**
 * A free 5-7-5 haiku about the topic, for the pretraining corpus: the topic
 * (or a short related word) opens it, as in the reference haiku, and the
 * other lines come from the same varied line generator around its words.
 */
export function freeHaiku(topic: string, words: string[], rng: Rng): string {
  const key = lineSyllables(topic) <= 5 ? topic : rng.pick(words.filter((w) => lineSyllables(w) <= 3));
  const poem = new Poem(rng, key);
  const first = poem.opening(key);
  const second = poem.withWord(7, rng.pick(words));
  return [first, second, rng.next() < 0.7 ? poem.withWord(5, rng.pick(words)) : poem.scene(5)].join('\n');
}

/**
 * Share of haiku without related words (about a common noun) whose third line
 * brings the subject back (their second line does half the time). The rest
 * end on scenery, and when scenery is the likelier ending a greedy decoder
 * writes the same few third lines for every subject (the shipped `sft`: 14
 * distinct third lines in 40 held-out answers). A third stage at 0.8 gave
 * 22, and cost the page's RL more of the checks (docs/experiments.md,
 * "Third lines that return to the subject").
 */
export const SUBJECT_ECHO = 0.3;

/**
 * The reference haiku for instruction pairs: the topic (or, when the topic is
 * too long, a related word) opens the first line, as a request's subject must
 * be copied; the second and third lines are drawn from tens of thousands of
 * counted lines (src/data/poemLines.ts) around the topic's related words, or
 * the scene, so the model learns to write about a subject, not a bank of
 * lines by heart. Their scene words lean to the subject's first letter
 * (alliteration), so that even the likeliest scene differs between
 * subjects. It takes as many draws from the caller's stream as the
 * earlier, fixed-bank generator did and writes from a stream of its own
 * seeded by them, so the prompts made after a haiku (the suites, the pairs)
 * stay as they were.
 */
export function makeHaiku(topic: string, words: string[], rng: Rng, echo = SUBJECT_ECHO): string {
  const fits = (w: string) => lineSyllables(w) <= 5;
  const key = fits(topic) ? topic.toLowerCase() : rng.pick(words.filter(fits).concat('rain'));
  const own = new Rng(Math.floor(rng.next() * 2 ** 30) + Math.floor(rng.next() * 2 ** 20) + Math.floor(rng.next() * 2 ** 10));
  const related = own.shuffle(words.filter((w) => w !== key && lineSyllables(w) <= 3));
  const poem = new Poem(own, key);
  const first = poem.opening(key);
  const second = related.length ? poem.withWord(7, related[0]) : own.next() < 0.5 ? poem.withWord(7, key) : poem.scene(7);
  const third = related.length > 1 ? poem.withWord(5, related[1]) : own.next() < echo ? poem.withWord(5, key) : poem.scene(5);
  return [first, second, third].join('\n');
}

/** Words that count as "on topic": the topic's name and its related words (and simple plurals). */
export function topicWords(topic: string): string[] {
  const t = findTopic(topic);
  return [topic.toLowerCase(), ...(t?.words ?? [])];
}

/** Whether the text names one of `words` (as a word, or its plural with s/es): the haiku check's "about". */
export const mentions = (text: string, words: string[]) => {
  const lower = text.toLowerCase();
  return words.some((w) => new RegExp(`(?<![\\p{L}])${w}(s|es)?(?![\\p{L}])`, 'u').test(lower));
};

const poemLines = (r: string) => r.split('\n').map((l) => l.trim().replace(/^"|"$/g, '')).filter(Boolean);

export interface HaikuCheck {
  check: 'three lines' | '5-7-5' | 'about the topic';
  pass: boolean;
  /** In a learner's words: "three lines", "5, 7 and 5 syllables", "about autumn". */
  label: string;
}

/**
 * The haiku check taken apart, each part judged on its own, so a learner sees
 * progress before the whole check passes: the form first (three lines), then
 * the count (5-7-5), then the subject. `verifyHaiku` passes when all three do.
 */
export function haikuChecklist(r: string, topic: string): HaikuCheck[] {
  const lines = poemLines(r);
  return [
    { check: 'three lines', pass: lines.length === 3, label: 'three lines' },
    { check: '5-7-5', pass: lines.length === 3 && lines.map(lineSyllables).join() === '5,7,5', label: '5, 7 and 5 syllables' },
    { check: 'about the topic', pass: mentions(r, topicWords(topic)), label: `about ${topic}` },
  ];
}

export function verifyHaiku(r: string, k: Kwargs) {
  const topic = strArg(k, 'topic');
  const lines = poemLines(r);
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
  apply: (_d, _k, ctx) => makeHaiku(ctx.topic, ctx.words, ctx.rng, ctx.echo),
  nearMiss: (good, _k, ctx) =>
    ctx.rng.next() < 0.5 ? `${good}\n${topicLine(ctx.topic, ctx.words, ctx.rng).toLowerCase()}` : good.split('\n').slice(0, 2).join('\n'),
  verify: verifyHaiku,
};
