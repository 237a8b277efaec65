/**
 * Build src/data/lexicon.json: syllable counts, from CMUdict (BSD), for every
 * word Heed's generators use. Run after changing topics or vocabulary:
 *   node scripts/run.mjs scripts/buildLexicon.ts
 * Words CMUdict lacks are listed, and fall back to the `syllable` package at
 * run time; manual overrides live in src/data/syllables.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dictionary } from 'cmu-pronouncing-dictionary';
import { TOPICS } from '../src/data/topics.ts';
import { ADJECTIVES, ADVERBS, PREPOSITIONS, SETTINGS, VERBS } from '../src/data/vocabulary.ts';
import { numberToWords } from '../src/tasks/text.ts';
import { ROOT } from './lib/models.ts';

const words = new Set<string>();
const add = (text: string) => text.toLowerCase().split(/[^a-z']+/).filter(Boolean).forEach((w) => words.add(w));
for (const t of TOPICS) [t.name, ...t.words].forEach(add);
[...ADJECTIVES, ...VERBS, ...ADVERBS, ...PREPOSITIONS, ...SETTINGS].forEach(add);
for (let n = 0; n <= 100; n++) add(numberToWords(n));
add('a the and of to in is it on at by with for from as an this that his her their its i you we they one once');
add('thousand hundred');

const lexicon: Record<string, number> = {};
const missing: string[] = [];
for (const w of [...words].sort()) {
  const pron = dictionary[w];
  if (!pron) missing.push(w);
  else lexicon[w] = (pron.match(/\d/g) ?? []).length;
}
writeFileSync(join(ROOT, 'src', 'data', 'lexicon.json'), JSON.stringify(lexicon, null, 0).replace(/,"/g, ',\n"') + '\n');
console.log(`lexicon: ${Object.keys(lexicon).length} words; not in CMUdict: ${missing.join(', ') || 'none'}`);
