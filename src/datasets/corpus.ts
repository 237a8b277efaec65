/**
 * The pretraining corpus: web-like text generated from a seed, so a model
 * trained on it is a *base* model that behaves like real ones. Genres mix as
 * on the web: encyclopedia entries, short stories, forum threads, Q&A,
 * letters, how-tos and lists, haiku printed as plain poems, words of the
 * day, and lists of writing prompts (so "Write a haiku about autumn." is
 * continued with more prompts). Haiku worksheets and word lists are off by
 * default and mixed in with `--genres`. Every topic appears, held-out ones
 * included: knowledge comes from pretraining. No chat-template tokens;
 * documents are joined by the `<|doc|>` boundary when tokenized.
 */
import { Rng } from '../engine/rng.ts';
import { makeExample } from '../tasks/index.ts';
import { freeHaiku, haiku, makeHaiku } from '../tasks/haiku.ts';
import { nonceWord } from '../data/nonceWords.ts';
import { peopleRequest } from '../data/requests.ts';
import { TOPICS, type Topic } from '../data/topics.ts';
import { ADJECTIVES, SETTINGS } from '../data/vocabulary.ts';
import subjectList from '../data/subjects.json';
import { cap, topicLine, topicParagraph, topicSentence } from '../data/writing.ts';

const SUBJECTS = subjectList as string[];

type Genre = (t: Topic, rng: Rng) => string;

const NAMES = ['Mira', 'Tom', 'Ana', 'Ken', 'Lena', 'Sam', 'Yuki', 'Omar', 'Iris', 'Ben', 'Nora', 'Leo'];
const HANDLES = ['leafpile', 'quietfox', 'rainyday42', 'hikerjo', 'teacup', 'moonwatch', 'oldpine', 'birdnerd'];

const encyclopedia: Genre = (t, r) =>
  `${cap(t.name)}\n\n${topicParagraph(t.name, t.words, r, 3 + r.int(3))}\n\n${topicParagraph(t.name, t.words, r, 2 + r.int(2))}`;

const story: Genre = (t, r) => {
  const [a, b] = r.shuffle(NAMES);
  const w = r.pick(t.words);
  return [
    `The ${cap(r.pick(ADJECTIVES))} ${cap(w)}`,
    '',
    `${a} walked to the ${r.pick(SETTINGS)} to see the ${t.name}. ${topicSentence(t.name, t.words, r)} ` +
      `"Look at the ${w}," said ${a}. ${b} smiled and said nothing. ${topicSentence(t.name, t.words, r)} ` +
      `When the day was over, ${a} and ${b} went home and talked about the ${t.name} for a long time.`,
  ].join('\n');
};

const forum: Genre = (t, r) => {
  const [u1, u2, u3] = r.shuffle(HANDLES);
  const shout = r.next() < 0.15 ? (s: string) => s.toUpperCase() : (s: string) => s;
  return [
    `Thread: anyone else love the ${t.name}?`,
    `${u1}: ${topicSentence(t.name, t.words, r)} What do you all think?`,
    `${u2}: ${shout(topicSentence(t.name, t.words, r))}`,
    `${u3}: agreed. ${topicSentence(t.name, t.words, r).toLowerCase()}`,
  ].join('\n');
};

const qa: Genre = (t, r) =>
  `Q: What is the ${t.name} like?\nA: ${topicParagraph(t.name, t.words, r, 2)}\n\nQ: What goes with the ${t.name}?\nA: ${cap(r.shuffle(t.words).slice(0, 3).join(', '))}.`;

const letter: Genre = (t, r) =>
  `Dear ${r.pick(NAMES)},\n\n${topicParagraph(t.name, t.words, r, 3)}\n\nYours,\n${r.pick(NAMES)}\n\n${r.pick(['P.S.', 'P.P.S'])} ${topicSentence(t.name, t.words, r)}`;

const howTo: Genre = (t, r) => {
  const steps = Array.from({ length: 3 + r.int(3) }, (_, i) => `${i + 1}. ${topicLine(t.name, t.words, r)}.`);
  return `How to enjoy the ${t.name}\n\n${steps.join('\n')}`;
};

const list: Genre = (t, r) => {
  const items = Array.from({ length: 2 + r.int(4) }, () => `${r.pick(['*', '-'])} ${topicLine(t.name, t.words, r)}`);
  return `Things I love about the ${t.name}:\n${items.join('\n')}`;
};

const poems: Genre = (t, r) => {
  const n = 1 + r.int(2);
  const body = Array.from({ length: n }, () => freeHaiku(t.name, t.words, r)).join('\n\n');
  return r.next() < 0.5 ? `${cap(t.name)}\n\n${body}` : `Haiku about the ${t.name}\n\n${body}`;
};

/** Worksheets of writing prompts: the text that teaches a base model to answer an instruction with more instructions. */
const prompts: Genre = (_t, r) => {
  const heading = r.pick(['Writing prompts for this week:', 'Prompts for the class:', 'Homework (creative writing):', 'Daily writing prompts']);
  const items = Array.from({ length: 3 + r.int(5) }, (_, i) => {
    const e = makeExample(r, r.next() < 0.5 ? 'train' : 'heldout', { n: r.next() < 0.6 ? 1 : 2 });
    return `${i + 1}. ${e.prompt}`;
  });
  return `${heading}\n${items.join('\n')}`;
};

/**
 * A word of the day from a list of some 1,400 common nouns: most appear nowhere
 * else, so predicting their repeats means copying them from earlier in the
 * document, the skill a tuned model needs to answer about a topic it was
 * never tuned on.
 */
const wordOfTheDay: Genre = (_t, r) => {
  const w = r.pick(SUBJECTS);
  const poem = r.next() < 0.5 ? `\n\nA poem about the ${w}:\n${freeHaiku(w, [w], r)}` : '';
  return `Word of the day: ${w}\n\nSay it slowly: ${w}. Write it three times: ${w}, ${w}, ${w}.\n` +
    `${cap(r.pick(['today', 'this week', 'in class']))} we write about the ${w}. ${cap(w)} is the word to remember.${poem}`;
};

/**
 * A page of a class anthology: short poems titled by their subject, a common
 * noun each, which opens the poem. Copying a word from a heading into what
 * follows is the skill an instruction-tuned model needs for any subject.
 */
const anthology: Genre = (_t, r) => {
  const entries = r.shuffle(SUBJECTS).slice(0, 2 + r.int(3)).map((w) => `${cap(w)}\n${freeHaiku(w, [w], r)}`);
  return `${r.pick(['Poems from our class anthology', 'Short poems, spring term', 'Our haiku wall', 'Five-seven-five: poems by year 4'])}\n\n${entries.join('\n\n')}`;
};

/**
 * A worked exercise: a request and its answer, as in a textbook, without
 * chat tokens. Real base models have read such pages; tuning then mostly
 * teaches when to answer (the chat turn), not how.
 */
const exercise: Genre = (t, r) => {
  const w = r.pick(SUBJECTS);
  const topic = r.next() < 0.5 ? t : { name: w, category: 'subject', words: [w] };
  const e = makeExample(r, 'train', { topic, n: 1 });
  return `${r.pick(['Exercise', 'Task', 'Question'])} ${1 + r.int(12)}. ${e.prompt}\n${r.pick(['Answer:', 'Model answer:', 'Example answer:'])}\n${e.response}`;
};

/** What a worksheet asks for a haiku about: a name and the words a poem about it may bring. */
interface PoemSubject { name: string; words: string[] }

const alone = (w: string): PoemSubject => ({ name: w, words: [w] });

/** Worked haiku requests, each followed by "Answer:" and a poem that opens with its subject and brings its words. */
function haikuWorksheet(subjects: PoemSubject[], r: Rng): string {
  const items = subjects.map(({ name, words }, i) => {
    const request = r.next() < 0.5 ? peopleRequest(name, r) : makeExample(r, 'train', { topic: { name, category: 'subject', words }, content: haiku, n: 1 }).prompt;
    return `${i + 1}. ${request}\n${r.pick(['Answer:', 'Model answer:', 'Example:'])}\n${makeHaiku(name, words, r)}`;
  });
  return `${r.pick(['Worked examples: haiku', 'Poetry worksheet, answers', 'Haiku practice (with answers)'])}\n\n${items.join('\n\n')}`;
}

/**
 * A worksheet of poem exercises, worked: requests for a haiku about common
 * nouns (in the tasks' words or people's), each followed by "Answer:" and a
 * poem that opens with the noun. The copying an instruction-tuned model needs,
 * learnt as reading: tuning only has to connect the chat turn to it.
 */
const poemExercise: Genre = (_t, r) => haikuWorksheet(r.shuffle(SUBJECTS).slice(0, 2 + r.int(3)).map(alone), r);

/**
 * The same worksheets about the topics (held-out ones too), whose answers
 * bring two of the topic's related words: "fog" with mist and grey. Knowledge
 * in the form a tuned model uses it. A glossary page teaches the table as a
 * list, and a base recalls it only as a list (docs/experiments.md, "bases that
 * do not know their topics"); a haiku about a held-out topic can bring only
 * words its base has read in poems.
 */
const topicPoems: Genre = (_t, r) => haikuWorksheet(r.shuffle(TOPICS).slice(0, 2 + r.int(3)), r);

/**
 * Made-up words (src/data/nonceWords.ts) introduced and then used: a new word
 * and its spelling, or a worksheet of haiku about made-up things. Nothing but
 * copying predicts them, so these pages teach copying itself, not a list of
 * nouns by heart.
 */
const nonce: Genre = (t, r) => {
  if (r.next() < 0.5) return haikuWorksheet(Array.from({ length: 2 + r.int(3) }, () => alone(nonceWord(r))), r);
  const w = nonceWord(r);
  return `${r.pick(['New word', 'Made-up word of the day', 'A word we invented'])}: ${w}\n\n` +
    `${/^[aeiou]/.test(w) ? 'An' : 'A'} ${w} is a kind of ${t.name}. Write it three times: ${w}, ${w}, ${w}. ${topicSentence(t.name, t.words, r)}\n\n` +
    `A poem about the ${w}:\n${makeHaiku(w, [w, ...t.words], r)}`;
};

/**
 * A writer's word list: topics, each with the words that go with it, a dozen
 * to a page, in one of three forms (a list, a sentence, a dash). The topic
 * pages state these words once in a long paragraph; a base that reads them
 * only there does not learn them (base19b names one for 2 of 34 held-out
 * topics in a word list, 3 asked as Q&A: `npm run bench:knowledge`), and a
 * haiku about a held-out topic can only bring words its base knows. Words
 * read in one form are recalled in that form only (docs/experiments.md, "bases
 * that do not know their topics"); the three forms are there to loosen that.
 */
const GLOSSARY_FORMS = [
  (name: string, words: string[]) => `${name}: ${words.join(', ')}`,
  (name: string, words: string[]) => `With the ${name} come ${words.slice(0, -1).join(', ')} and ${words.at(-1)}.`,
  (name: string, words: string[]) => `${cap(name)} - think of ${words.join(', ')}.`,
];

const glossary: Genre = (_t, r) => {
  const form = r.pick(GLOSSARY_FORMS);
  const entries = r.shuffle(TOPICS).slice(0, 8 + r.int(8)).map((t) => form(t.name, r.shuffle(t.words).slice(0, 3 + r.int(3))));
  return `${r.pick(['Words that go together', 'A word list for poets', 'Word bank: what goes with what', 'Notes for writers'])}\n\n${entries.join('\n')}`;
};

const GENRE_TEXT = { encyclopedia, story, forum, qa, letter, howTo, list, poems, prompts, wordOfTheDay, anthology, exercise, poemExercise, topicPoems, nonce, glossary };
export type GenreName = keyof typeof GENRE_TEXT;
export type GenreWeights = Record<GenreName, number>;

/** How often each genre is drawn (relative weights). */
export const GENRE_WEIGHTS: GenreWeights = {
  encyclopedia: 3, story: 2, forum: 2, qa: 1, letter: 1, howTo: 1, list: 1, poems: 2, prompts: 2, wordOfTheDay: 2,
  anthology: 2, exercise: 1, poemExercise: 0, topicPoems: 0, nonce: 0, glossary: 0,
};

/**
 * Genre weights from "name=weight,name=weight" (the CLI's `--genres`): the
 * named genres take those weights, the others keep theirs.
 */
export function parseGenres(text: string): GenreWeights {
  const weights = { ...GENRE_WEIGHTS };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=').map((x) => x.trim());
    if (!(name in GENRE_TEXT)) throw new Error(`unknown genre "${name}" (known: ${Object.keys(GENRE_TEXT).join(', ')})`);
    const w = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(w) || w < 0 || w > 1000) throw new Error(`genre "${name}" needs a weight from 0 to 1000, as in ${name}=2 (got "${part}")`);
    weights[name as GenreName] = w;
  }
  if (Object.values(weights).every((w) => w === 0)) throw new Error('at least one genre needs a weight above 0');
  return weights;
}

/** One document, drawn by genre weight. */
export function makeDocument(rng: Rng, weights: GenreWeights = GENRE_WEIGHTS): string {
  const genres = Object.entries(weights) as [GenreName, number][];
  const total = genres.reduce((n, [, w]) => n + w, 0);
  let x = rng.next() * total;
  const [name] = genres.find(([, w]) => (x -= w) < 0) ?? genres[0];
  return GENRE_TEXT[name](rng.pick(TOPICS), rng);
}

/** Documents totalling at least `chars` characters, deterministic for a seed. */
export function buildCorpus(seed: number, chars = 2_000_000, weights: GenreWeights = GENRE_WEIGHTS): string[] {
  const rng = new Rng(seed);
  const docs: string[] = [];
  let size = 0;
  while (size < chars) {
    const d = makeDocument(rng, weights);
    docs.push(d);
    size += d.length + 1;
  }
  return docs;
}

/** Token ids of the documents, each preceded by the `<|doc|>` boundary. */
export function corpusTokens(tokenizer: import('../engine/tokenizer.ts').CharTokenizer, docs: string[]): Int32Array {
  const doc = tokenizer.special('<|doc|>');
  const out: number[] = [];
  for (const d of docs) out.push(doc, ...tokenizer.encode(d));
  return Int32Array.from(out);
}
