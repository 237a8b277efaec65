/**
 * Lines of counted syllables for the reference haiku behind instruction pairs:
 * varied enough that a model cannot learn them by heart (tens of thousands of
 * distinct five- and seven-syllable lines), tied to the subject through its
 * related words. A line is drawn by trying random patterns over the
 * vocabulary until its syllables fit exactly.
 *
 * The scene words are one syllable each, so a line's syllables are its words
 * but for the subject's: varied lines whose count a small model can learn
 * within a lesson. They also leave out every held-out topic's name and
 * related words, so a held-out haiku is
 * "about" its topic only when the model brings the topic or its own related
 * words, never by an accident of the scenery it learnt.
 */
import type { Rng } from '../engine/rng.ts';
import { lineSyllables } from './syllables.ts';
import { HELD_OUT_TOPICS, TOPICS } from './topics.ts';
import { ADJECTIVES, ADVERBS, PREPOSITIONS, SETTINGS, VERBS } from './vocabulary.ts';

/** Scene words for the poems only (not in the pretraining corpus's vocabulary). */
const MORE_ADJECTIVES = ['brave', 'kind', 'shy', 'bare', 'wide', 'dry', 'blue', 'brown', 'cool', 'faint', 'plain', 'proud', 'round', 'sharp', 'stiff', 'tall', 'weak', 'young', 'dim', 'bent'];
const MORE_VERBS = ['leans', 'breathes', 'dreams', 'blinks', 'stays', 'climbs', 'spins', 'floats', 'sleeps', 'hides', 'walks', 'shakes', 'burns', 'knocks', 'grows', 'sinks', 'bows', 'nods', 'sighs', 'rings'];
const MORE_ADVERBS = ['at last', 'for now', 'by noon', 'all night', 'once more', 'in the dark', 'at night', 'just now', 'till dawn', 'with care'];
const MORE_SETTINGS = ['porch', 'yard', 'lane', 'barn', 'hall', 'step', 'dock', 'street', 'door', 'bench', 'pier', 'well', 'ridge', 'bay', 'cart', 'shed', 'square', 'town'];
const PEOPLE = ['a child', 'my friend', 'the old man', 'my aunt', 'the cook', 'an old dog', 'a girl', 'a boy', 'the nurse', 'a monk'];
const SEES = ['finds', 'counts', 'holds', 'greets', 'paints', 'hears', 'sees', 'keeps'];

const HELD_OUT_WORDS = new Set(TOPICS.filter((t) => HELD_OUT_TOPICS.has(t.name)).flatMap((t) => [t.name, ...t.words]));
// (A word is out when it or its stem is such a word: the haiku check counts "fades" as "fade".)
const heldOut = (part: string) => HELD_OUT_WORDS.has(part) || HELD_OUT_WORDS.has(part.replace(/e?s$/, '')) || HELD_OUT_WORDS.has(part.replace(/s$/, ''));
const scene = (words: string[]) => words.filter((w) => !w.split(' ').some(heldOut));

const oneEach = (phrase: string) => phrase.split(' ').every((w) => lineSyllables(w) === 1);
/**
 * The first word of each initial letter. A character-level model that decodes
 * greedily picks the likeliest letter, and a letter's chance is the sum of its
 * words': with "sleeps", "sings", "sinks" and "stays" in one bank, "s" wins
 * every time and the same line comes back for every subject ("the step sinks
 * at dawn" in 23 of 40 answers). With one word per letter the letters are
 * near equal, and the choice follows the context: the subject and the request.
 */
const byInitial = (words: string[]) => words.filter((w, i) => words.findIndex((x) => x[0] === w[0]) === i);
const ADJ = byInitial(scene([...ADJECTIVES, ...MORE_ADJECTIVES]).filter(oneEach));
const VERB = byInitial(scene([...VERBS, ...MORE_VERBS]).filter(oneEach));
const ADV = byInitial(scene([...ADVERBS, ...MORE_ADVERBS]).filter(oneEach));
const PLACE = byInitial(scene([...SETTINGS, ...MORE_SETTINGS]).filter(oneEach));
const WHO = scene(PEOPLE).filter(oneEach);
const SEE = byInitial(scene(SEES).filter(oneEach));
const PREP = PREPOSITIONS.filter(oneEach);

/** What the patterns draw their words with: a poem's draw (see `PoemDraw`). */
interface Draw {
  pick(words: string[]): string;
}
type Pattern = (w: string, r: Draw) => string;
const at = (r: Draw) => `${r.pick(PREP)} ${r.pick(PLACE)}`;

/** Patterns that feature the word `w` (the subject or a word related to it). */
const WITH_WORD: Pattern[] = [
  (w, r) => `${r.pick(ADJ)} ${w} ${r.pick(VERB)}`,
  (w, r) => `the ${w} ${r.pick(VERB)} ${r.pick(ADV)}`,
  (w, r) => `a ${r.pick(ADJ)} ${w} ${at(r)}`,
  (w, r) => `${w} ${at(r)}`,
  (w, r) => `${r.pick(ADJ)} ${r.pick(ADJ)} ${w}`,
  (w, r) => `the ${r.pick(ADJ)} ${w} ${r.pick(VERB)}`,
  (w, r) => `${w} ${r.pick(VERB)} ${r.pick(ADV)}`,
  (w, r) => `${w} ${r.pick(VERB)} ${at(r)}`,
  (w, r) => `where the ${w} ${r.pick(VERB)}`,
  (w, r) => `as the ${w} ${r.pick(VERB)} ${r.pick(ADV)}`,
  (w, r) => `${r.pick(WHO)} ${r.pick(SEE)} the ${w}`,
  (w, r) => `${r.pick(ADJ)} ${w}, ${r.pick(ADJ)} ${r.pick(PLACE)}`,
  (w, r) => `until the ${w} ${r.pick(VERB)}`,
  (w, r) => `only the ${w} ${r.pick(VERB)}`,
  (w, r) => `${w} and ${r.pick(ADJ)} ${r.pick(PLACE)}`,
  (w, r) => `the ${r.pick(ADJ)} ${w} ${r.pick(VERB)} ${at(r)}`,
  (w, r) => `${w} ${r.pick(VERB)} ${r.pick(PREP)} ${r.pick(ADJ)} ${r.pick(PLACE)}`,
  (w, r) => `${r.pick(WHO)} ${r.pick(SEE)} the ${r.pick(ADJ)} ${w}`,
  (w, r) => `and the ${w} ${r.pick(VERB)} ${at(r)}`,
];

/** Patterns of the scene alone. */
const SCENE: Pattern[] = [
  (_, r) => `${r.pick(PREP)} ${r.pick(ADJ)} ${r.pick(PLACE)}`,
  (_, r) => `the ${r.pick(PLACE)} ${r.pick(VERB)} ${r.pick(ADV)}`,
  (_, r) => `${r.pick(WHO)} ${r.pick(VERB)} ${r.pick(ADV)}`,
  (_, r) => `${r.pick(WHO)} ${r.pick(VERB)} ${at(r)}`,
  (_, r) => `${r.pick(ADJ)} ${r.pick(PLACE)}, ${r.pick(ADJ)} ${r.pick(PLACE)}`,
  (_, r) => `and the ${r.pick(PLACE)} ${r.pick(VERB)}`,
  (_, r) => `${r.pick(WHO)} ${r.pick(VERB)} ${r.pick(PREP)} ${r.pick(ADJ)} ${r.pick(PLACE)}`,
  (_, r) => `the ${r.pick(ADJ)} ${r.pick(PLACE)} ${r.pick(VERB)} ${r.pick(ADV)}`,
  (_, r) => `the ${r.pick(PLACE)} ${r.pick(VERB)} ${r.pick(PREP)} ${r.pick(ADJ)} ${r.pick(PLACE)}`,
  (_, r) => `${r.pick(WHO)} ${r.pick(SEE)} the ${r.pick(ADJ)} ${r.pick(PLACE)}`,
];

/**
 * First-line endings after the subject, one shape per number of syllables
 * left, each opening with its own word: "in the" (four), "by the" (three),
 * "at" (two), a verb (one). A character-level model that picks the next
 * letter greedily then decides the count at one letter, from the subject's
 * spelling; when eight shapes of every length shared their first letters
 * ("so bare", "sinks", "sighs at last"), the likeliest letter was often one
 * whose shape had the wrong count ("autumn so bare").
 */
const AT = ['dawn', 'night', 'last', 'rest', 'home', 'sea'];
const ONE_VERB = VERB.filter((v) => !/^[iba]/.test(v));
const ENDINGS: Record<number, Pattern> = {
  4: (_, r) => `in the ${r.pick(ADJ)} ${r.pick(PLACE)}`,
  3: (_, r) => `by the ${r.pick(PLACE)}`,
  2: (_, r) => `at ${r.pick(AT)}`,
  1: (_, r) => r.pick(ONE_VERB),
};

/** Share of scene words drawn to begin with the subject's letter, where a bank has such a word. */
const ALLITERATION = 0.6;
/** A phrase's content word, by which a poem tells its scene words apart ("at last" and "last" are one). */
const keyOf = (phrase: string) => phrase.split(' ').at(-1)!;
/** The letter a scene phrase sounds on: its content word's ("a child" c, "at dawn" d); none for "over the". */
const soundsOn = (phrase: string) => {
  const key = keyOf(phrase);
  return key === 'the' ? undefined : key[0];
};
/** Each bank's phrases by the letter they sound on, made once per bank. */
const byLetter = new WeakMap<string[], Map<string, string[]>>();
function soundingOn(bank: string[], letter: string): string[] {
  let m = byLetter.get(bank);
  if (!m) {
    m = new Map();
    for (const w of bank) {
      const l = soundsOn(w);
      if (l) m.set(l, [...(m.get(l) ?? []), w]);
    }
    byLetter.set(bank, m);
  }
  return m.get(letter) ?? [];
}

/**
 * The scene words of one poem: drawn from the seeded stream, leaning to the
 * subject's first letter, and none used twice (prepositions aside).
 *
 * Leaning to the letter ("moss at rest / the mild marsh moves ..."):
 * alliteration, an old device of poems, and the way the scenery can follow
 * from the subject for a model that decodes greedily. Drawn independently of
 * the subject, the likeliest scene is the same for every subject, and greedy
 * decoding writes it every time; a letter the model copies from the subject
 * makes the likeliest scene differ between subjects.
 *
 * None twice: a bank has one word per letter, so leaning to the letter alone
 * put the same word in every line ("the well waits in the wet well / the
 * well waits by noon"); a poem moves on.
 */
class PoemDraw implements Draw {
  private readonly used = new Set<string>();
  private picked: string[] = [];
  private leaning = true;
  private readonly letter?: string;
  constructor(
    private readonly rng: Rng,
    subject?: string,
  ) {
    this.letter = subject?.[0]?.toLowerCase();
    if (subject) this.used.add(subject.toLowerCase());
  }

  pick(bank: string[]): string {
    if (bank === PREP) return this.rng.pick(bank);
    const fresh = (words: string[]) => words.filter((w) => !this.used.has(keyOf(w)) && !this.picked.includes(w));
    const open = fresh(bank);
    const hits = this.letter && this.leaning ? fresh(soundingOn(bank, this.letter)) : [];
    const w = hits.length && this.rng.next() < ALLITERATION ? this.rng.pick(hits) : this.rng.pick(open.length ? open : bank);
    this.picked.push(w);
    return w;
  }

  /** Start a try at a line (leaning to the letter or not): forget the words of the last try that did not fit. */
  begin(lean = true): void {
    this.picked = [];
    this.leaning = lean;
  }

  /** The line fits: its words are the poem's now. */
  keep(): void {
    for (const w of this.picked) this.used.add(keyOf(w));
  }
}

/**
 * The lines of one poem about `subject` (see `PoemDraw`): the opening line
 * with the subject first, lines that feature a word, lines of scenery.
 */
export class Poem {
  private readonly draw: PoemDraw;
  constructor(
    private readonly rng: Rng,
    subject?: string,
  ) {
    this.draw = new PoemDraw(rng, subject);
  }

  /**
   * The subject first, then the ending that brings the line to five syllables
   * (see ENDINGS), not leaning to the subject's letter: right after the
   * subject, a word on its letter invites a stutter ("autumnn").
   */
  opening(key: string): string {
    const left = 5 - lineSyllables(key);
    if (left <= 0) return key;
    this.draw.begin(false);
    const line = `${key} ${ENDINGS[left](key, this.draw)}`;
    this.draw.keep();
    return line;
  }

  /** A line of `target` syllables that features `w` (or, when `w` cannot fit, the scene alone). */
  withWord(target: number, w: string): string {
    return this.fit(target, w, WITH_WORD, 400) ?? this.scene(target);
  }

  /** A line of `target` syllables of scenery. */
  scene(target: number): string {
    return this.fit(target, '', SCENE, 2000) ?? (target === 7 ? 'the old porch waits in the dark' : 'the yard waits for now');
  }

  /** A line of exactly `target` syllables from `patterns` around `w`, or undefined after `tries` draws. */
  private fit(target: number, w: string, patterns: Pattern[], tries: number): string | undefined {
    for (let i = 0; i < tries; i++) {
      this.draw.begin();
      const text = this.rng.pick(patterns)(w, this.draw);
      if (lineSyllables(text) === target) {
        this.draw.keep();
        return text;
      }
    }
    return undefined;
  }
}
