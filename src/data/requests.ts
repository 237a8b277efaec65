/**
 * Haiku requests as people write them, for SFT data: another verb than
 * "write", the subject anywhere in the sentence, with an article or as a
 * plural, a sentence of context before the request, a bare label, the form
 * described instead of named, terse and polite forms, and now and then a
 * typo in a word that is not the subject. The task's own phrasings (used by
 * the suites and the pretraining corpus) stay as they are; SFT pairs draw
 * from here as a share of their subject haiku (`SftMix.peopleShare`).
 *
 * The hand-written validation requests (src/eval/suites/haiku-requests.json)
 * were written apart from these templates and are never trained on.
 */
import type { Rng } from '../engine/rng.ts';

const CONTEXT = [
  'I am making a card for my aunt.', 'We are reading poems in class this week.', 'It is a rainy afternoon here.', 'My poetry club meets tonight.',
  'I want something short to put on the fridge.', 'This is for a school project.', 'I am learning about Japanese poems.', 'My little brother asked me for this.',
  'I have two minutes before the bus comes.', 'Our teacher wants one poem from each of us.', 'I keep a notebook of small poems.', 'It is my first time asking for a poem.',
];

/** {s}: the subject as written (bare, with an article, or plural); {a}: the bare noun with "a" or "an". */
const TEMPLATES = [
  'Draft a haiku about {s}.', 'Craft a haiku on {s}.', 'Could you do a haiku about {s}?', 'Scribble a quick haiku about {s}.', 'Produce a haiku about {s}.',
  'haiku: {s}', '{S} - a haiku about it, please.', '{S} haiku, please.', 'haiku about {s} pls', 'a haiku on {s}?', '{S}. Haiku.', 'Subject {s}, haiku form.',
  'Write three lines about {s}, with 5, 7 and 5 syllables.', 'A 5-7-5 poem about {s}, please.', 'Write a poem of three lines (five, seven, five syllables) about {s}.',
  'Give me a short poem about {s} in the 5-7-5 form.', 'How would you write a haiku about {s}?', 'Is it possible to write a haiku about {s}?',
  'Write {a} haiku.', 'I want a haiku. It should be about {s}.', '{S} is what I would like a haiku about.', 'Tell me about {s} in a haiku.',
  'Please, a haiku about {s}. Thank you!', 'Haiku please. Topic is {s}.', 'Write a haiku describing {s}.', 'Can you write me a haiku where {s} is the subject?',
  'Make up a haiku about {s} for me.', 'Say something about {s} in haiku form.', 'Quick haiku on {s}?', 'A haiku for {s}.',
  // The subject first and the request after it, across a dash, a comma or a full stop: a model that
  // copies "the word after the dash" or "the last word" fails these.
  '{S} - write me a haiku.', '{S}, please. A haiku.', '{S} - could you make it a haiku?', '{S}. Now a haiku about it.',
];

const vowel = (w: string) => /^[aeiou]/.test(w);

/** The subject as a person might write it: bare, "the", "a"/"an", or a plural (when plain "s" makes one). */
function writtenSubject(noun: string, rng: Rng): string {
  const r = rng.next();
  if (r < 0.35) return noun;
  if (r < 0.6) return `the ${noun}`;
  if (r < 0.8) return `${vowel(noun) ? 'an' : 'a'} ${noun}`;
  return /(s|x|z|ch|sh|y)$/.test(noun) ? `the ${noun}` : `${noun}s`;
}

/** One typo (two letters swapped) in a word of four letters or more that is not the subject. */
function typo(text: string, subject: string, rng: Rng): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => (w.length >= 4 && /^[a-z]+$/i.test(w) && !w.toLowerCase().includes(subject) ? i : -1)).filter((i) => i >= 0);
  if (!candidates.length) return text;
  const i = rng.pick(candidates);
  const w = words[i];
  const k = 1 + rng.int(w.length - 2);
  words[i] = w.slice(0, k) + w[k + 1] + w[k] + w.slice(k + 2);
  return words.join(' ');
}

/** A haiku request about `noun` in a person's words (see the module note). */
export function peopleRequest(noun: string, rng: Rng): string {
  const s = writtenSubject(noun, rng);
  let text = rng.pick(TEMPLATES).replace('{s}', s).replace('{S}', s.charAt(0).toUpperCase() + s.slice(1)).replace('{a}', `${vowel(noun) ? 'an' : 'a'} ${noun}`);
  if (rng.next() < 0.25) text = `${rng.pick(CONTEXT)} ${text}`;
  if (rng.next() < 0.1) text = typo(text, noun, rng);
  return text;
}
