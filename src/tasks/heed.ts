/** Heed's own instruction types (heed:*), sized for a tiny model; checks only. */
import { verifyHaiku } from './haiku.ts';
import { numberLines } from './lines.ts';
import { oneWord } from './oneWord.ts';
import { startWord } from './frameTasks.ts';
import type { VerifyFn } from './types.ts';

export const heedChecks: Record<string, VerifyFn> = {
  'heed:haiku': verifyHaiku,
  'heed:number_lines': numberLines.verify,
  'heed:one_word': oneWord.verify,
  'heed:start_word': startWord.verify,
};
