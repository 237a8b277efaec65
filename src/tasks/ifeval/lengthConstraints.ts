/** IFEval length_constraints:* — words, sentences, paragraphs, the first word of paragraph n. */
import { countSentences } from '../sentences.ts';
import { compare, countWords } from '../text.ts';
import { type VerifyFn, intArg, strArg, verdict } from '../types.ts';

/** Paragraphs split by the markdown divider ***; an empty one in the middle makes it fail (-1). */
export function countDividedParagraphs(r: string): number {
  const parts = r.split(/\s?\*\*\*\s?/);
  let n = parts.length;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].trim()) continue;
    if (i === 0 || i === parts.length - 1) n--;
    else return -1;
  }
  return n;
}

/** The first word of a paragraph, lowercased, up to the first punctuation mark (IFEval's rule). */
function firstWord(paragraph: string): string {
  const word = paragraph.split(/\s+/)[0].trim().replace(/^'+/, '').replace(/^"+/, '');
  let out = '';
  for (const c of word) {
    if ('.,?!\'"'.includes(c)) break;
    out += c.toLowerCase();
  }
  return out;
}

export const lengthConstraints: Record<string, VerifyFn> = {
  'length_constraints:number_words': (r, k) => {
    const n = countWords(r);
    return verdict(compare(n, k.relation, intArg(k, 'num_words')), `${n} words (${k.relation} ${k.num_words} wanted)`);
  },
  'length_constraints:number_sentences': (r, k) => {
    const n = countSentences(r);
    return verdict(compare(n, k.relation, intArg(k, 'num_sentences')), `${n} sentences (${k.relation} ${k.num_sentences} wanted)`);
  },
  'length_constraints:number_paragraphs': (r, k) => {
    const n = countDividedParagraphs(r);
    const want = intArg(k, 'num_paragraphs');
    if (n < 0) return verdict(false, 'an empty paragraph between *** dividers');
    return verdict(n === want, `${n} paragraphs separated by *** (exactly ${want} wanted)`);
  },
  'length_constraints:nth_paragraph_first_word': (r, k) => {
    const paragraphs = r.split('\n\n');
    const n = paragraphs.filter((p) => p.trim()).length;
    const nth = intArg(k, 'nth_paragraph');
    const want = strArg(k, 'first_word').toLowerCase();
    const target = nth <= n ? paragraphs[nth - 1].trim() : '';
    if (!target) return verdict(false, `no paragraph ${nth} (found ${n})`);
    const first = firstWord(target);
    const ok = n === intArg(k, 'num_paragraphs') && first === want;
    return verdict(ok, `${n} paragraphs (${k.num_paragraphs} wanted); paragraph ${nth} starts with "${first}" ("${want}" wanted)`);
  },
};
