/** heed:number_lines {num_lines} — exactly N non-empty lines. */
import { cap, topicLine, topicLines } from '../data/writing.ts';
import { type Task, intArg, phrasing, verdict } from './types.ts';

const PHRASINGS = {
  train: ['Write {n} lines about {topic}.', 'Give me exactly {n} lines on {topic}.', 'Describe {topic} in {n} short lines.',
    'Write exactly {n} lines about {topic}.', '{Topic} in {n} lines, please.', 'Tell me about {topic} in exactly {n} lines.', 'Use {n} lines to describe {topic}.',
    'I want {n} lines about {topic}.', 'Give {n} short lines about {topic}, one per line.'],
  heldout: ['{Topic}: {n} lines, no more, no less.', 'In precisely {n} lines, tell me about {topic}.'],
};

export const countLines = (r: string) => r.split('\n').filter((l) => l.trim()).length;

export const numberLines: Task = {
  id: 'heed:number_lines',
  kind: 'content',
  conflicts: ['heed:haiku', 'heed:one_word', 'detectable_format:number_bullet_lists', 'detectable_format:title', 'detectable_content:postscript'],
  kwargs: (ctx) => ({ num_lines: 2 + ctx.rng.int(4) }),
  phrasings: PHRASINGS,
  phrase: (k, ctx) => phrasing(ctx, PHRASINGS, { n: k.num_lines as number, topic: ctx.topic, Topic: cap(ctx.topic) }),
  apply: (_d, k, ctx) => {
    if (ctx.varied) return topicLines(ctx.topic, ctx.words, ctx.rng, k.num_lines as number).map((l) => `${l}.`).join('\n');
    const lines = new Set<string>();
    while (lines.size < (k.num_lines as number)) lines.add(topicLine(ctx.topic, ctx.words, ctx.rng) + '.');
    return [...lines].join('\n');
  },
  nearMiss: (good, _k, ctx) => `${good}\n${topicLine(ctx.topic, ctx.words, ctx.rng)}.`,
  verify: (r, k) => {
    const n = countLines(r);
    return verdict(n === intArg(k, 'num_lines'), `${n} lines (exactly ${k.num_lines} wanted)`);
  },
};
