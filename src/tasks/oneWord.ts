/** heed:one_word — the whole answer is a single word. */
import { cap } from '../data/writing.ts';
import { words } from './text.ts';
import { type Task, phrasing, verdict } from './types.ts';

const PHRASINGS = {
  train: ['Describe {topic} in one word.', 'Answer with a single word: what do you think of when you hear {topic}?', 'One word for {topic}.',
    'Use one word to describe {topic}.', 'In one word, what is {topic}?', '{Topic}: one word only.', 'Give me just one word for {topic}.',
    'Reply with a single word about {topic}.', 'What is {topic}? One word, please.', 'Describe {topic} with a single word.'],
  heldout: ['Sum up {topic} using just one word.', '{Topic} in a word?'],
};

export const oneWord: Task = {
  id: 'heed:one_word',
  kind: 'content',
  conflicts: ['heed:haiku', 'heed:number_lines', 'detectable_format:number_bullet_lists', 'heed:start_word', 'keywords:existence', 'detectable_format:title', 'detectable_content:postscript', 'startend:end_checker'],
  kwargs: () => ({}),
  phrasings: PHRASINGS,
  phrase: (_k, ctx) => phrasing(ctx, PHRASINGS, { topic: ctx.topic, Topic: cap(ctx.topic) }),
  apply: (_d, _k, ctx) => cap(ctx.rng.pick(ctx.words)) + '.',
  nearMiss: (good, _k, ctx) => `${good.replace(/\.$/, '')} and ${ctx.rng.pick(ctx.words)}.`,
  verify: (r) => {
    const n = words(r).length;
    return verdict(n === 1, `${n} words (one wanted)`);
  },
};
