/**
 * The plain content type: a few sentences about the topic. It carries no
 * check of its own; prompts built on it are checked by their constraints.
 */
import { cap, topicParagraph } from '../data/writing.ts';
import { type Task, phrasing, verdict } from './types.ts';

const PHRASINGS = {
  train: ['Write a few sentences about {topic}.', 'Tell me about {topic}.', 'Describe {topic}.', 'Write a short paragraph on {topic}.',
    'Write about {topic}.', 'What do you know about {topic}?', 'Give me a short description of {topic}.', 'Can you describe {topic}?',
    'Explain {topic} in a few sentences.', 'A few sentences on {topic}, please.'],
  heldout: ['What can you say about {topic}?', 'Say something about {topic}.'],
};

export const prose: Task = {
  id: 'heed:prose',
  kind: 'content',
  conflicts: [],
  kwargs: () => ({}),
  phrasings: PHRASINGS,
  phrase: (_k, ctx) => phrasing(ctx, PHRASINGS, { topic: ctx.topic, Topic: cap(ctx.topic) }),
  apply: (_d, _k, ctx) => topicParagraph(ctx.topic, ctx.words, ctx.rng, 2 + ctx.rng.int(2)),
  nearMiss: () => '',
  verify: (r) => verdict(r.trim().length > 0, 'any text'),
};
