/** keywords:existence and keywords:forbidden_words: use a word, avoid a word. */
import { keywords } from './ifeval/keywords.ts';
import { keywordRegex } from './text.ts';
import { type Task, phrasing } from './types.ts';

const multiLine = (d: string) => d.includes('\n');

export const includeWord: Task = {
  id: 'keywords:existence',
  kind: 'constraint',
  conflicts: ['heed:haiku', 'heed:one_word', 'keywords:forbidden_words'],
  kwargs: (ctx) => ({ keywords: [ctx.rng.pick(ctx.words)] }),
  phrasings: {
    train: ['Include the word "{w}".', 'Make sure to use the word {w}.', 'Use the word "{w}" in your answer.',
      'Mention the word "{w}".', 'Be sure to include "{w}".', 'Your answer must contain the word {w}.',
      'Use "{w}" at least once.', 'Put the word {w} in your answer.'],
    heldout: ['The word "{w}" must appear somewhere.', 'Work the word {w} in.'],
  },
  phrase: (k, ctx) => phrasing(ctx, includeWord.phrasings, { w: (k.keywords as string[])[0] }),
  apply: (d, k) => {
    const w = (k.keywords as string[])[0];
    if (keywordRegex(w, 'i').test(d)) return d;
    if (!multiLine(d)) return `${d} I also think of ${w}.`;
    const lines = d.split('\n');
    lines[lines.length - 1] = lines[lines.length - 1].replace(/\.?$/, (dot) => ` and ${w}${dot}`);
    return lines.join('\n');
  },
  nearMiss: (good, k) => good.replace(keywordRegex((k.keywords as string[])[0], 'gi'), 'it'),
  verify: keywords['keywords:existence'],
};

export const avoidWord: Task = {
  id: 'keywords:forbidden_words',
  kind: 'constraint',
  conflicts: ['heed:haiku', 'keywords:existence'],
  kwargs: (ctx) => ({ forbidden_words: [ctx.rng.pick(ctx.words)] }),
  phrasings: {
    train: ['Do not use the word "{w}".', 'Avoid the word {w}.', 'Never say "{w}" in your answer.',
      'Do not say "{w}".', 'Leave out the word {w}.', 'Avoid using "{w}".', 'Don\'t mention the word {w}.', 'Skip the word {w}.'],
    heldout: ['The word "{w}" is not allowed.', 'Keep the word {w} out of it.'],
  },
  phrase: (k, ctx) => phrasing(ctx, avoidWord.phrasings, { w: (k.forbidden_words as string[])[0] }),
  apply: (d, k, ctx) => {
    const w = (k.forbidden_words as string[])[0];
    const other = ctx.words.find((x) => x !== w && !x.includes(w) && !w.includes(x)) ?? 'thing';
    return d.replace(keywordRegex(w, 'gi', true), other);
  },
  nearMiss: (good, k) => `${good.replace(/\s*$/, '')} ${(k.forbidden_words as string[])[0]}`,
  verify: keywords['keywords:forbidden_words'],
};
