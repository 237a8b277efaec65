/**
 * Constraints on how a response starts and ends: startend:end_checker,
 * heed:start_word, startend:quotation, detectable_format:title,
 * detectable_content:postscript, punctuation:no_comma.
 */
import { cap } from '../data/writing.ts';
import { detectableFormat } from './ifeval/detectableFormat.ts';
import { startEnd } from './ifeval/startEnd.ts';
import { escapeRegExp } from './text.ts';
import { type Task, phrasing, strArg, verdict } from './types.ts';

/** Replace the first case-insensitive occurrence of a literal (a case constraint may have changed it). */
function replaceI(text: string, literal: string, by: string): string {
  return text.replace(new RegExp(escapeRegExp(literal), 'i'), by);
}

export const END_PHRASES = ['Is there anything else I can help with?', 'Any other questions?', 'That is all.', 'Thank you for reading.'];
export const START_WORDS = ['Sure', 'Here', 'Well', 'Yes', 'Today', 'Look', 'Listen', 'Now'];

export const endPhrase: Task = {
  id: 'startend:end_checker',
  kind: 'constraint',
  conflicts: ['heed:haiku', 'heed:one_word'],
  kwargs: (ctx) => ({ end_phrase: ctx.rng.pick(END_PHRASES) }),
  phrasings: {
    train: ['End your response with "{p}"', 'Finish with the exact phrase "{p}"', 'Your last words must be: {p}',
      'End with "{p}"', 'Your answer must end with "{p}"', 'Finish your answer with "{p}"', 'The last words should be "{p}"',
      'Conclude with "{p}"', 'Say "{p}" at the very end.'],
    heldout: ['Close with "{p}" and nothing after it.', 'Wrap up by saying "{p}"'],
  },
  phrase: (k, ctx) => phrasing(ctx, endPhrase.phrasings, { p: k.end_phrase as string }),
  // Appended to the last line, so a line count stays right.
  apply: (d, k) => `${d.replace(/\s*$/, '')} ${k.end_phrase}`,
  nearMiss: (good, k) => replaceI(good, ` ${k.end_phrase}`, ''),
  verify: startEnd['startend:end_checker'],
};

/** The first word, as IFEval reads it: up to the first punctuation mark, lowercased. */
export function firstWordOf(r: string): string {
  return (r.trim().replace(/^["'*\s<]+/, '').match(/^[\p{L}\p{N}]+/u)?.[0] ?? '').toLowerCase();
}

export const startWord: Task = {
  id: 'heed:start_word',
  kind: 'constraint',
  conflicts: ['heed:haiku', 'heed:one_word', 'detectable_format:number_bullet_lists', 'detectable_format:title'],
  kwargs: (ctx) => ({ word: ctx.rng.pick(START_WORDS) }),
  phrasings: {
    train: ['Start your answer with the word "{w}".', 'Begin with "{w}".', 'The first word must be {w}.',
      'Start with the word {w}.', 'Your first word should be "{w}".', 'Begin your reply with {w}.', 'The answer must start with "{w}".',
      'Make "{w}" the first word.', 'Use {w} as your first word.'],
    heldout: ['Open your reply with "{w}".', 'Lead with the word {w}.'],
  },
  phrase: (k, ctx) => phrasing(ctx, startWord.phrasings, { w: k.word as string }),
  apply: (d, k) => `${k.word}. ${d}`,
  nearMiss: (good, k, ctx) => replaceI(good, String(k.word), ctx.rng.pick(START_WORDS.filter((w) => w !== k.word))),
  verify: (r, k) => {
    const got = firstWordOf(r);
    const want = strArg(k, 'word').toLowerCase();
    return verdict(got === want, `starts with "${got}" ("${want}" wanted)`);
  },
};

export const quotation: Task = {
  id: 'startend:quotation',
  kind: 'constraint',
  conflicts: [],
  kwargs: () => ({}),
  phrasings: {
    train: ['Wrap your entire response in double quotation marks.', 'Put the whole answer inside double quotes.',
      'Put your answer in quotation marks.', 'Surround the whole reply with double quotes.', 'Wrap everything in quotes.',
      'Write the answer inside "quotes".', 'Use double quotation marks around your response.', 'Your reply must be in double quotes.'],
    heldout: ['Enclose everything you write in "double quotes".', 'Quote your whole reply with " marks.'],
  },
  phrase: (_k, ctx) => phrasing(ctx, quotation.phrasings, {}),
  apply: (d) => `"${d}"`,
  nearMiss: (good) => good.replace(/"$/, ''),
  verify: startEnd['startend:quotation'],
};

export const title: Task = {
  id: 'detectable_format:title',
  kind: 'constraint',
  conflicts: ['heed:haiku', 'heed:one_word', 'heed:number_lines', 'heed:start_word'],
  kwargs: () => ({}),
  phrasings: {
    train: ['Give it a title in double angular brackets, like <<title>>.', 'Add a title wrapped in << and >>.',
      'Include a title like <<this>>.', 'Start with a title in <<angle brackets>>.', 'Give your answer a title wrapped in <<>>.',
      'Add a <<title>> first.', 'Your answer needs a title, in << >>.'],
    heldout: ['Put a title at the top, inside <<double angle brackets>>.', 'Title it, using <<these brackets>>.'],
  },
  phrase: (_k, ctx) => phrasing(ctx, title.phrasings, {}),
  apply: (d, _k, ctx) => `<<${ctx.rng.next() < 0.5 ? cap(ctx.topic) : `On ${cap(ctx.topic)}`}>>\n${d}`,
  nearMiss: (good) => good.replace(/<<([^\n]*)>>/, '$1'),
  verify: detectableFormat['detectable_format:title'],
};

export const postscript: Task = {
  id: 'detectable_content:postscript',
  kind: 'constraint',
  conflicts: ['heed:haiku', 'heed:one_word', 'heed:number_lines', 'startend:end_checker'],
  kwargs: (ctx) => ({ postscript_marker: ctx.rng.pick(['P.S.', 'P.P.S']) }),
  phrasings: {
    train: ['At the end, add a postscript starting with {m}', 'Add a postscript that begins with {m}',
      'End with a postscript that starts with {m}', 'Add a {m} at the end.', 'Put a {m} after your answer.',
      'Write a {m} line at the very end.', 'Close with a postscript ({m}).', 'Remember to add a {m}'],
    heldout: ['Finish with a {m} note.', 'Include a {m} at the bottom.'],
  },
  phrase: (k, ctx) => phrasing(ctx, postscript.phrasings, { m: k.postscript_marker as string }),
  apply: (d, k, ctx) => `${d}\n\n${k.postscript_marker} I will think of the ${ctx.topic} again soon.`,
  nearMiss: (good, k) => replaceI(good, String(k.postscript_marker), 'PS'),
  verify: startEnd['detectable_content:postscript'],
};

export const noComma: Task = {
  id: 'punctuation:no_comma',
  kind: 'constraint',
  conflicts: [],
  kwargs: () => ({}),
  phrasings: {
    train: ['Do not use any commas.', 'Avoid commas entirely.', 'No commas in your response.',
      'Write without commas.', 'Do not use a comma.', 'Commas are not allowed.', 'Zero commas, please.', 'Leave out all commas.', 'No comma anywhere.'],
    heldout: ['Refrain from using a single comma.', 'Write it without one comma.'],
  },
  phrase: (_k, ctx) => phrasing(ctx, noComma.phrasings, {}),
  apply: (d) => d.replace(/,\s*/g, ' '),
  nearMiss: (good) => good.replace(/\p{L}+/u, '$&,'),
  verify: startEnd['punctuation:no_comma'],
};
