/** change_case:english_lowercase and change_case:english_capital, as Heed teaches them. */
import { changeCase } from './ifeval/changeCase.ts';
import { type GenContext, type Task, phrasing } from './types.ts';

/** Flip the case of one word, so the response misses the case rule narrowly. */
function flipOneWord(text: string, ctx: GenContext, toUpper: boolean): string {
  const matches = [...text.matchAll(/\p{L}{3,}/gu)];
  if (!matches.length) return toUpper ? text.toUpperCase() : text.toLowerCase();
  const m = ctx.rng.pick(matches);
  const w = toUpper ? m[0][0].toUpperCase() + m[0].slice(1) : m[0].toLowerCase();
  return text.slice(0, m.index) + w + text.slice(m.index! + m[0].length);
}

export const lowercase: Task = {
  id: 'change_case:english_lowercase',
  kind: 'constraint',
  conflicts: ['change_case:english_capital'],
  kwargs: () => ({}),
  phrasings: {
    train: ['Use only lowercase letters.', 'Write everything in lowercase.', 'Your entire response should be in lowercase letters.',
      'Write in lowercase only.', 'Do not use any capital letters.', 'All letters must be lowercase.', 'Answer in all lowercase.',
      'Avoid capital letters.', 'Lowercase letters only, please.', 'Never use a capital letter.', 'Make every letter lowercase.'],
    heldout: ['No capital letters at all, please.', 'Keep every letter small (lowercase).'],
  },
  phrase: (_k, ctx) => phrasing(ctx, lowercase.phrasings, {}),
  apply: (d) => d.toLowerCase(),
  nearMiss: (good, _k, ctx) => flipOneWord(good, ctx, true),
  verify: changeCase['change_case:english_lowercase'],
};

export const capitals: Task = {
  id: 'change_case:english_capital',
  kind: 'constraint',
  conflicts: ['change_case:english_lowercase'],
  kwargs: () => ({}),
  phrasings: {
    train: ['Write it all in capital letters.', 'Use only capital letters.', 'Your entire response should be in English, in all capital letters.',
      'Answer in all caps.', 'Write it in uppercase letters.', 'Every letter must be a capital.', 'Use uppercase only.',
      'ALL CAPS, please.', 'Reply entirely in capital letters.', 'Make every letter uppercase.', 'Write in CAPITALS.'],
    heldout: ['SHOUT it: every letter uppercase.', 'Answer in block capitals only.'],
  },
  phrase: (_k, ctx) => phrasing(ctx, capitals.phrasings, {}),
  apply: (d) => d.toUpperCase(),
  nearMiss: (good, _k, ctx) => flipOneWord(good, ctx, false),
  verify: changeCase['change_case:english_capital'],
};
