/**
 * Made-up nouns ("wugs", after Jean Berko's 1958 test of children's grammar):
 * pronounceable words that occur in no other text. A model can predict their
 * second appearance only by copying the first, letter by letter, which is the
 * skill an instruction-tuned model needs to write about a subject it was never
 * tuned on. Real nouns do not teach it: a list of a few thousand can be learnt
 * by heart instead.
 */
import type { Rng } from '../engine/rng.ts';
import { wordSyllables } from './syllables.ts';
import lexicon from './lexicon.json';

const ONSETS = ['b', 'bl', 'br', 'ch', 'd', 'dr', 'f', 'fl', 'fr', 'g', 'gl', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'pr', 'r', 's', 'sh', 'sk', 'sl', 'sn', 'sp', 'st', 't', 'th', 'tr', 'v', 'w', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'i', 'o', 'u', 'oo', 'ee', 'ai', 'oa'];
const CODAS = ['', '', '', 'n', 'm', 'l', 'r', 't', 'k', 'p', 's', 'nd', 'nt', 'rk', 'sh', 'st', 'ck'];

const REAL = lexicon as Record<string, number>;

/**
 * A made-up noun of one to three syllables that the syllable counter counts as
 * built (so poems about it keep their 5-7-5) and that is not a dictionary word.
 */
export function nonceWord(rng: Rng): string {
  for (;;) {
    const n = 1 + rng.int(3);
    let w = '';
    for (let i = 0; i < n; i++) w += rng.pick(ONSETS) + rng.pick(VOWELS) + (i === n - 1 || rng.next() < 0.5 ? rng.pick(CODAS) : '');
    if (w.length >= 3 && !Object.hasOwn(REAL, w) && wordSyllables(w) === n) return w;
  }
}
