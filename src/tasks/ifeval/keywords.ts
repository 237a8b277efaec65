/** IFEval keywords:* — include, how often, avoid, letter counts. Keywords are regexes, case-insensitive, as in IFEval. */
import { compare, keywordRegex } from '../text.ts';
import { type VerifyFn, intArg, strArg, verdict } from '../types.ts';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const keywords: Record<string, VerifyFn> = {
  'keywords:existence': (r, k) => {
    const missing = list(k.keywords).filter((w) => !keywordRegex(w, 'i').test(r));
    return verdict(missing.length === 0, missing.length ? `missing: ${missing.join(', ')}` : 'has every keyword');
  },
  'keywords:frequency': (r, k) => {
    const word = strArg(k, 'keyword').trim();
    const n = r.match(keywordRegex(word, 'gi'))?.length ?? 0;
    const ok = compare(n, k.relation, intArg(k, 'frequency'));
    return verdict(ok, `"${word}" appears ${n} times (${k.relation} ${k.frequency} wanted)`);
  },
  'keywords:forbidden_words': (r, k) => {
    const used = list(k.forbidden_words).filter((w) => keywordRegex(w, 'i', true).test(r));
    return verdict(used.length === 0, used.length ? `uses forbidden: ${used.join(', ')}` : 'avoids every forbidden word');
  },
  'keywords:letter_frequency': (r, k) => {
    const letter = strArg(k, 'letter').trim().toLowerCase();
    let n = 0;
    for (const c of r.toLowerCase()) if (c === letter) n++;
    const ok = compare(n, k.let_relation, intArg(k, 'let_frequency'));
    return verdict(ok, `letter "${letter}" appears ${n} times (${k.let_relation} ${k.let_frequency} wanted)`);
  },
};
