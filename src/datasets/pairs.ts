/**
 * Instruction pairs for SFT and preference pairs for DPO / reward models,
 * made by the tasks from training topics and phrasings only (the held-out
 * suite never leaks in). Alone and in pairs of two instructions, as IFEval
 * combines them.
 */
import { Rng } from '../engine/rng.ts';
import { type Example, distinctExamples, makeExample, taskById } from '../tasks/index.ts';
import { findTopic } from '../data/topics.ts';
import { haiku } from '../tasks/haiku.ts';
import subjectList from '../data/haikuSubjects.json';
import longList from '../data/longSubjects.json';
import { lineSyllables } from '../data/syllables.ts';
import { verifyStrict } from '../tasks/registry.ts';
import { renderChat } from '../data/chat.ts';
import { peopleRequest } from '../data/requests.ts';
import type { PreferenceSequences } from '../engine/dpo.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';

const SUBJECTS = subjectList as string[];
const LONG_SUBJECTS = longList as string[];

export interface Pair {
  prompt: string;
  response: string;
}

export interface PreferencePair {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** Default share of SFT examples about a common noun (src/data/haikuSubjects.json) instead of a topic. */
export const SUBJECT_SHARE = 0.7;
/** Share of those that are haiku requests; the rest are any instruction about the noun. */
export const SUBJECT_HAIKU = 0.6;

/** What built-in SFT pairs are made of. The defaults are the data the shipped `sft` was first tuned on. */
export interface SftMix {
  /** Share of examples about a common noun instead of a topic (default `SUBJECT_SHARE`). */
  subjectShare?: number;
  /** Share of those that are haiku requests (default `SUBJECT_HAIKU`). */
  haikuShare?: number;
  /**
   * Share of subject haiku whose noun is drawn by its syllables first (one to five, equally), from the
   * common nouns and the long ones (src/data/longSubjects.json) together; the rest draw a common noun
   * (default 0). Common nouns are mostly one to three syllables, so without it a first line that the
   * subject fills alone (five syllables) is rare.
   */
  syllableBalance?: number;
  /**
   * Share of single-instruction subject haiku whose request is rewritten as people write them
   * (src/data/requests.ts: other verbs, articles and plurals, context first, labels, typos; default 0).
   */
  peopleShare?: number;
  /**
   * Share of the topic examples (those not about a common noun) that ask for a haiku about a training
   * topic, whose reference takes the topic's related words into its second and third lines (default 0:
   * a haiku is then one type of some thirty). Subject haiku have no related words to use, so a mix of
   * them alone teaches poems of scenery, not poems about their topic.
   */
  topicHaikuShare?: number;
  /**
   * Share of subject haiku whose third line brings the subject back (default `SUBJECT_ECHO`, src/tasks/haiku.ts):
   * the rest end on scenery, which greedy decoding then writes alike for every subject.
   */
  subjectEcho?: number;
  /** Lists and lines answers whose lines each take a different related word, in varied shapes (default false). */
  variedLines?: boolean;
  /** With `types`: a share `typeShare` of examples hold one of those instruction ids, the rest any (no subject haiku). */
  types?: readonly string[];
  typeShare?: number;
}

/** A common noun as a topic: its only related word is itself. */
export const subjectTopic = (word: string) => ({ name: word, category: 'subject', words: [word] });

let bySyllables: string[][] | undefined;
/** Haiku nouns grouped by syllables (index 0 = one syllable ... 4 = five). */
function nounsBySyllables(): string[][] {
  bySyllables ??= [...SUBJECTS, ...LONG_SUBJECTS].reduce<string[][]>((groups, w) => (groups[lineSyllables(w) - 1]?.push(w), groups), [[], [], [], [], []]);
  return bySyllables;
}

/**
 * A haiku request about a common noun. Topics alone (175) are few enough to
 * learn by heart; over some 3,900 nouns the model must copy the subject from
 * the request and count its syllables, which is what a held-out topic needs.
 */
function subjectHaiku(rng: Rng, { syllableBalance = 0, peopleShare = 0, subjectEcho }: SftMix): Example {
  // (Without balance or people's requests this draws exactly what it always drew, so earlier recipes reproduce.)
  const word = syllableBalance > 0 && rng.next() < syllableBalance ? rng.pick(rng.pick(nounsBySyllables())) : rng.pick(SUBJECTS);
  const e = makeExample(rng, 'train', { topic: subjectTopic(word), content: haiku, echo: subjectEcho });
  if (peopleShare > 0 && e.instruction_id_list.length === 1 && rng.next() < peopleShare) return { ...e, prompt: peopleRequest(word, rng) };
  return e;
}

/**
 * A subject haiku (`haikuShare` of the time), otherwise any instruction
 * about a common noun, whose "related words" (what keyword instructions name)
 * are three other nouns: lists, lines and keywords must then copy words from
 * the request too, not recall a training topic's.
 */
function subjectExample(rng: Rng, mix: SftMix): Example {
  if (rng.next() < (mix.haikuShare ?? SUBJECT_HAIKU)) return subjectHaiku(rng, mix);
  return makeExample(rng, 'train', { topic: { ...subjectTopic(rng.pick(SUBJECTS)), words: [rng.pick(SUBJECTS), rng.pick(SUBJECTS), rng.pick(SUBJECTS)] }, varied: mix.variedLines });
}

/** A training example holding at least one of `types` (instruction ids), drawn by rejection. */
export function targetedExample(rng: Rng, types: readonly string[]): Example {
  for (let tries = 0; ; tries++) {
    const e = makeExample(rng, 'train');
    if (e.instruction_id_list.some((id) => types.includes(id))) return e;
    if (tries > 10_000) throw new Error(`no training example holds any of: ${types.join(', ')}`);
  }
}

/** `count` distinct SFT examples from the training split, made as `mix` says (see `SftMix`), shuffled together. */
export function makeSftExamples(seed: number, count: number, mix: SftMix = {}): Example[] {
  const { subjectShare = SUBJECT_SHARE, types, typeShare = 1 } = mix;
  const rng = new Rng(seed);
  if (!types?.length) {
    const topicExample = () => (mix.topicHaikuShare && rng.next() < mix.topicHaikuShare
      ? makeExample(rng, 'train', { content: haiku, n: 1 })
      : makeExample(rng, 'train', { varied: mix.variedLines }));
    return distinctExamples(count, () => (rng.next() < subjectShare ? subjectExample(rng, mix) : topicExample()));
  }
  const targeted = Math.round(count * typeShare);
  return rng.shuffle(distinctExamples(count, (kept) => (kept < targeted ? targetedExample(rng, types) : makeExample(rng, 'train'))));
}

export const makeSftPairs = (seed: number, count: number, mix: SftMix = {}): Pair[] =>
  makeSftExamples(seed, count, mix).map(({ prompt, response }) => ({ prompt, response }));

/**
 * A preference pair: chosen = the reference answer, rejected = a near miss on
 * one of its instructions, or (sometimes) a continuation that adds more
 * instructions — the base model's habit.
 */
export function makePreferencePair(e: Example, rng: Rng, types?: readonly string[]): PreferencePair {
  const words = findTopic(e.topic)?.words ?? [e.topic]; // a subject haiku's topic is its noun
  const ctx = { topic: e.topic, words, rng, split: 'train' as const };
  if (rng.next() < 0.2) {
    const more = makeExample(rng, 'train', { n: 1 }).prompt;
    const continuation = `${e.prompt}\n2. ${more}`;
    // Rarely the continuation happens to satisfy the prompt (say, "2 lines"); then use a near miss instead.
    const fails = e.instruction_id_list.some((id, i) => !verifyStrict(id, continuation, e.kwargs[i], e.prompt).pass);
    if (fails) return { prompt: e.prompt, chosen: e.response, rejected: continuation };
  }
  // Aimed at `types` but this prompt asks for none of them: half the time the near miss is the
  // answer with one of them applied unasked (a format spilling over where it was not wanted).
  if (types?.length && !e.instruction_id_list.some((id) => types.includes(id)) && rng.next() < 0.5) {
    const t = taskById(rng.pick(types))!;
    const spilled = t.apply(e.response, t.kwargs(ctx), ctx);
    if (spilled !== e.response) return { prompt: e.prompt, chosen: e.response, rejected: spilled };
  }
  const targeted = e.instruction_id_list.map((id, i) => (types?.includes(id) ? i : -1)).filter((i) => i >= 0);
  const i = targeted.length ? rng.pick(targeted) : rng.int(e.instruction_id_list.length);
  const task = taskById(e.instruction_id_list[i])!;
  return { prompt: e.prompt, chosen: e.response, rejected: task.nearMiss(e.response, e.kwargs[i], ctx) };
}

/**
 * `count` built-in preference pairs: reference answers over near misses,
 * training split only. With `types`, a share `typeShare` of the prompts hold
 * one of those instruction ids, the near miss breaking that one.
 */
export function makePreferencePairs(seed: number, count: number, types?: readonly string[], typeShare = 1): PreferencePair[] {
  const rng = new Rng(seed + 1);
  return makeSftExamples(seed, count, { subjectShare: 0, types, typeShare }).map((e) => makePreferencePair(e, rng, types));
}

/** A preference pair through the chat template: the chosen and the rejected conversation. */
export function renderPreference(tokenizer: CharTokenizer, p: PreferencePair): PreferenceSequences {
  const render = (answer: string) => renderChat(tokenizer, [{ role: 'user', content: p.prompt }, { role: 'assistant', content: answer }]);
  return { chosen: render(p.chosen), rejected: render(p.rejected) };
}

/**
 * Pairs held out to measure a preference stage on: the last fifth, at most
 * 200, once there are 10 pairs or more; below that none, and `measure` (what
 * to report on) is then the training pairs. One rule for the CLI and the page.
 */
export function splitHeldOut<T>(items: T[]): { train: T[]; heldOut: T[]; measure: T[] } {
  const n = items.length >= 10 ? Math.min(200, Math.floor(items.length / 5)) : 0;
  const train = items.slice(0, items.length - n);
  const heldOut = items.slice(items.length - n);
  return { train, heldOut, measure: n ? heldOut : train };
}
