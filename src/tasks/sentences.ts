/**
 * Sentences as NLTK's Punkt (its English model) splits them, which IFEval's
 * length_constraints:number_sentences counts: Punkt's decision rules, with
 * stand-ins for what its model learned from the Wall Street Journal:
 * ABBREVIATIONS (abbreviations it learned: titles, months, states, 16 single
 * letters; not "etc", "e.g", "i.e" or "no", after which it does break),
 * SENT_STARTERS (words it learned to start sentences), and "seen in lower
 * case" (COMMON_WORDS, Heed's lexicon, or a word this text writes in lower
 * case). Its 37 learned collocations ("5. Letters") are left out.
 *
 * A candidate break is a run of . ! ? followed by white space or by one of
 * ?!)";}]*:@'({[ ; a run of non-space text breaks at most once, at its last
 * candidate. Then, as Punkt decides:
 * - ! and ? always break, and so does a period after an ordinary word;
 * - after a number, a period breaks unless a lowercase word or , ; : follows;
 * - after an initial (a single letter that is not an abbreviation) it breaks
 *   unless a lowercase word or , ; : follows, or a capitalised word never
 *   seen in lower case ("J. Smith");
 * - after an abbreviation, or an ellipsis, it breaks only before a
 *   capitalised sentence starter ("Inc. The", "wait... However").
 * Closing quotes and brackets before white space stay with the sentence
 * they close. Measured against Punkt in docs/ifeval-audit.md.
 */
import lexicon from '../data/lexicon.json';

const ABBREVIATIONS = new Set(`c d e f g h k l m n p r s t v w mr mrs ms dr prof sr jr st vs messrs inc ltd co corp cos bros
jan feb aug sep sept oct nov dec tues wed fri gen col lt maj adm rep reps sen a.m p.m u.s u.k u.n u.s.a ph.d d.c n.y l.a
ala ariz calif colo conn fla ga ill kan ky mich minn nev okla ore pa tenn va vt wash wis ave ft mg yr ok`.split(/\s+/));

/** Words Punkt's model takes as sentence starters after an abbreviation or an ellipsis. */
const SENT_STARTERS = new Set(`according although among both but despite even he however i if in indeed instead it many
meanwhile moreover most nevertheless nonetheless nor separately similarly since so some the there these they this
though thus under when while yet`.split(/\s+/));

/** Common words the lexicon lacks (it holds the words Heed's generators use). */
const COMMON_WORDS = new Set(`about after all also although among an another any are as because before both but by
can could despite do does each even every finally first for from furthermore had has have he her here his how however
if in indeed instead is it its just let like many may meanwhile more moreover most my nevertheless next nonetheless
nor not now of on once only or other our overall please second she similarly since so some still such that their
then there these they third this those though thus to today try under use we well what when where which while who
why will with yes yet you your`.split(/\s+/));
const LEXICON = lexicon as Record<string, number>;

/** Characters that end a word token in Punkt, and those that cannot start one. */
const NON_WORD = `)";}]*:@'({[!?`;
const NOT_WORD_START = `("\`{[:;&#*@)}]-,`;

function tokenBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && !/\s/.test(text[start - 1]) && !NON_WORD.includes(text[start - 1])) start--;
  let word = text.slice(start, end);
  while (word && NOT_WORD_START.includes(word[0])) word = word.slice(1);
  return word;
}

function tokenAfter(text: string, start: number): string {
  const first = text[start];
  if (first === undefined || NON_WORD.includes(first) || NOT_WORD_START.includes(first)) return first ?? '';
  let end = start;
  while (end < text.length && !/\s/.test(text[end]) && !NON_WORD.includes(text[end])) end++;
  return text.slice(start, end);
}

/** Does the period ending `word` (or an ellipsis, word "...") end a sentence before `next`? */
function periodBreaks(word: string, next: string, seenLower: (w: string) => boolean): boolean {
  const type = word.slice(0, -1).toLowerCase();
  const initial = /^\p{L}\.$/u.test(word);
  const upper = /^\p{Lu}/u.test(next);
  // Punkt's model saw most words capitalised mid-sentence too (headlines), so only its sentence starters count here.
  if (word === '...' || (ABBREVIATIONS.has(type) && !initial)) return upper && SENT_STARTERS.has(next.toLowerCase());
  if (initial && ABBREVIATIONS.has(type)) return false;
  const number = /^-?[.,]?\d[\d,.-]*\.$/.test(word);
  if (!initial && !number) return true;
  // Punkt's orthographic heuristic: a lowercase word (or , ; :) goes on the sentence.
  if (/^\p{Ll}/u.test(next) || (next.length === 1 && ';:,.!?'.includes(next))) return false;
  return number || !upper || seenLower(next.toLowerCase().replace(/\.$/, ''));
}

/** Where each candidate break ends, and whether Punkt would break there. */
function candidates(text: string, seenLower: (w: string) => boolean): { chunk: number; end: number; breaks: boolean }[] {
  return [...text.matchAll(/[.!?]+(?=[?!)";}\]*:@'({[]|\s+\S)/g)].map((m) => {
    const end = m.index! + m[0].length;
    let start = end;
    while (/\s/.test(text[start] ?? '')) start++;
    const next = tokenAfter(text, start);
    const word = /[!?]/.test(m[0]) ? '' : m[0].length > 1 ? '...' : tokenBefore(text, m.index!) + '.';
    const breaks = word === '' || word === '.' || periodBreaks(word, next, seenLower);
    let chunk = m.index!;
    while (chunk > 0 && !/\s/.test(text[chunk - 1])) chunk--;
    return { chunk, end, breaks };
  });
}

export function splitSentences(text: string): string[] {
  const lowerHere = new Set(text.match(/(?<![\p{L}\p{N}])\p{Ll}+/gu) ?? []);
  const all = candidates(text, (w) => COMMON_WORDS.has(w) || w in LEXICON || lowerHere.has(w));
  const out: string[] = [];
  let start = 0;
  const push = (s: string) => {
    const closers = out.length ? s.match(/^["')\]}]+(?=\s|$)/)?.[0] ?? '' : '';
    if (closers) out[out.length - 1] += closers;
    if (s.slice(closers.length).trim()) out.push(s.slice(closers.length).trim());
  };
  all.forEach((c, i) => {
    // Punkt breaks a run of non-space text at most once, at its last candidate, if any candidate in it breaks.
    if (all[i + 1]?.chunk === c.chunk) {
      all[i + 1].breaks ||= c.breaks;
      return;
    }
    if (!c.breaks) return;
    push(text.slice(start, c.end).trim());
    start = c.end;
  });
  push(text.slice(start).trim());
  return out;
}

export const countSentences = (s: string) => splitSentences(s).length;
