/** detectable_format:number_bullet_lists {num_bullets} — exactly N markdown bullets. */
import { cap, topicLine, topicLines } from '../data/writing.ts';
import { detectableFormat } from './ifeval/detectableFormat.ts';
import { type Task, phrasing } from './types.ts';

const PHRASINGS = {
  train: ['List {n} things about {topic} as bullet points.', 'Give me exactly {n} bullet points about {topic}.', 'Write {n} bullet points on {topic}, using * for each.',
    '{n} bullet points about {topic}, please.', 'Answer with {n} bullet points about {topic}.', 'Write a bulleted list of {n} items about {topic}.',
    'Use {n} bullets to describe {topic}.', 'I want {n} bullets on {topic}.', 'Tell me about {topic} in {n} bullet points.', 'Make {n} bullet points about {topic}.'],
  heldout: ['{Topic}: answer in {n} bullets.', 'Make a bulleted list about {topic} with precisely {n} items.'],
};

export const bullets: Task = {
  id: 'detectable_format:number_bullet_lists',
  kind: 'content',
  conflicts: ['heed:haiku', 'heed:one_word', 'heed:number_lines', 'heed:start_word', 'startend:quotation'],
  kwargs: (ctx) => ({ num_bullets: 2 + ctx.rng.int(4) }),
  phrasings: PHRASINGS,
  phrase: (k, ctx) => phrasing(ctx, PHRASINGS, { n: k.num_bullets as number, topic: ctx.topic, Topic: cap(ctx.topic) }),
  apply: (_d, k, ctx) => {
    if (ctx.varied) return topicLines(ctx.topic, ctx.words, ctx.rng, k.num_bullets as number).map((i) => `* ${i}`).join('\n');
    const items = new Set<string>();
    while (items.size < (k.num_bullets as number)) items.add(topicLine(ctx.topic, ctx.words, ctx.rng));
    return [...items].map((i) => `* ${i}`).join('\n');
  },
  nearMiss: (good, _k, ctx) => {
    const lines = good.split('\n');
    const last = lines.map((l) => /^\s*[*-]/.test(l)).lastIndexOf(true);
    if (ctx.rng.next() < 0.5) lines.splice(last + 1, 0, `* ${topicLine(ctx.topic, ctx.words, ctx.rng)}`); // one bullet too many
    else lines.splice(last, 1); // one too few
    return lines.join('\n');
  },
  verify: detectableFormat['detectable_format:number_bullet_lists'],
};
