/**
 * IFEval change_case:* — all lowercase, all capitals, how many all-capital words.
 * "english_*" also asks that the response be English: under IFEval's rules
 * langdetect must say "en" (text it cannot read counts as English, as in
 * IFEval); under Heed's, letters from another script fail and Latin ones pass.
 */
import { detectLanguage } from '../language.ts';
import { compare, isLower, isUpper, wordTokens } from '../text.ts';
import { type Rules, type VerifyFn, intArg, verdict } from '../types.ts';

function englishProblem(s: string, rules: Rules): string | null {
  if (rules === 'heed') {
    const other = s.match(/(?!\p{Script=Latin})\p{L}/u)?.[0];
    return other ? `"${other}" is not a Latin letter` : null;
  }
  const lang = detectLanguage(s);
  return lang === null || lang === 'en' ? null : `langdetect says "${lang}", not English`;
}

export const changeCase: Record<string, VerifyFn> = {
  'change_case:english_lowercase': (r, _k, _p, rules) => {
    if (!isLower(r)) return verdict(false, `has capital letters: "${r.match(/\p{Lu}/u)?.[0] ?? ''}"`);
    const problem = englishProblem(r, rules);
    return verdict(!problem, problem ? `lowercase, but ${problem}` : 'all lowercase English');
  },
  'change_case:english_capital': (r, _k, _p, rules) => {
    if (!isUpper(r)) return verdict(false, `has lowercase letters: "${r.match(/\p{Ll}/u)?.[0] ?? ''}"`);
    const problem = englishProblem(r, rules);
    return verdict(!problem, problem ? `capitals, but ${problem}` : 'all capitals, English');
  },
  'change_case:capital_word_frequency': (r, k) => {
    const n = wordTokens(r).filter((w) => isUpper(w)).length;
    const ok = compare(n, k.capital_relation, intArg(k, 'capital_frequency'));
    return verdict(ok, `${n} all-capital words (${k.capital_relation} ${k.capital_frequency} wanted)`);
  },
};
