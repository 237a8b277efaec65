/** IFEval change_case:* — all lowercase, all capitals, how many all-capital words. */
import { detectLanguage } from '../language.ts';
import { compare, isLower, isUpper, wordTokens } from '../text.ts';
import { type VerifyFn, intArg, verdict } from '../types.ts';

/** langdetect cannot decide on very short text; IFEval then counts the instruction as followed. */
const isEnglishOrUnknown = (s: string) => {
  const lang = detectLanguage(s);
  return lang === null || lang === 'en';
};

export const changeCase: Record<string, VerifyFn> = {
  'change_case:english_lowercase': (r) => {
    if (!isLower(r)) return verdict(false, `has capital letters: "${r.match(/\p{Lu}/u)?.[0] ?? ''}"`);
    return isEnglishOrUnknown(r) ? verdict(true, 'all lowercase English') : verdict(false, 'lowercase but not English');
  },
  'change_case:english_capital': (r) => {
    if (!isUpper(r)) return verdict(false, `has lowercase letters: "${r.match(/\p{Ll}/u)?.[0] ?? ''}"`);
    return isEnglishOrUnknown(r) ? verdict(true, 'all capitals, English') : verdict(false, 'capitals but not English');
  },
  'change_case:capital_word_frequency': (r, k) => {
    const n = wordTokens(r).filter((w) => isUpper(w)).length;
    const ok = compare(n, k.capital_relation, intArg(k, 'capital_frequency'));
    return verdict(ok, `${n} all-capital words (${k.capital_relation} ${k.capital_frequency} wanted)`);
  },
};
