/**
 * Instruction pairs for SFT and preference pairs for DPO / reward models,
 * made by the tasks from training topics and phrasings only (the held-out
 * suite never leaks in). Alone and in pairs of two instructions, as IFEval
 * combines them.
 */
import { Rng } from '../engine/rng.ts';
import { type Example, distinctExamples, makeExample, taskById } from '../tasks/index.ts';
import { findTopic } from './topics.ts';
import { haiku } from '../tasks/haiku.ts';
import subjectList from './haikuSubjects.json';
import { verifyStrict } from '../tasks/registry.ts';
import { renderChat } from './chat.ts';
import type { PreferenceSequences } from '../engine/dpo.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';

const SUBJECTS = subjectList as string[];

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

const subjectTopic = (rng: Rng, word = rng.pick(SUBJECTS)) => ({ name: word, category: 'subject', words: [word] });

/**
 * A haiku request about a common noun. Topics alone (175) are few enough to
 * learn by heart; over some 3,900 nouns the model must copy the subject from
 * the request and count its syllables, which is what a held-out topic needs.
 */
export function subjectHaiku(rng: Rng): Example {
  return makeExample(rng, 'train', { topic: subjectTopic(rng), content: haiku });
}

/**
 * A subject haiku (`SUBJECT_HAIKU` of the time), otherwise any instruction
 * about a common noun, whose "related words" (what keyword instructions name)
 * are three other nouns: lists, lines and keywords must then copy words from
 * the request too, not recall a training topic's.
 */
export function subjectExample(rng: Rng): Example {
  if (rng.next() < SUBJECT_HAIKU) return subjectHaiku(rng);
  return makeExample(rng, 'train', { topic: { ...subjectTopic(rng), words: [rng.pick(SUBJECTS), rng.pick(SUBJECTS), rng.pick(SUBJECTS)] } });
}

/** A training example holding at least one of `types` (instruction ids), drawn by rejection. */
export function targetedExample(rng: Rng, types: readonly string[]): Example {
  for (let tries = 0; ; tries++) {
    const e = makeExample(rng, 'train');
    if (e.instruction_id_list.some((id) => types.includes(id))) return e;
    if (tries > 10_000) throw new Error(`no training example holds any of: ${types.join(', ')}`);
  }
}

/**
 * `count` distinct SFT examples from the training split, `subjectShare` of
 * them about common nouns (`SUBJECT_HAIKU` of those haiku). With `types`, a share `typeShare` of them
 * hold one of those instruction ids and the rest are drawn from all types
 * (no subject haiku), shuffled together.
 */
export function makeSftExamples(seed: number, count: number, subjectShare = SUBJECT_SHARE, types?: readonly string[], typeShare = 1): Example[] {
  const rng = new Rng(seed);
  if (!types?.length) return distinctExamples(count, () => (rng.next() < subjectShare ? subjectExample(rng) : makeExample(rng, 'train')));
  const targeted = Math.round(count * typeShare);
  return rng.shuffle(distinctExamples(count, (kept) => (kept < targeted ? targetedExample(rng, types) : makeExample(rng, 'train'))));
}

export const makeSftPairs = (seed: number, count: number, subjectShare = SUBJECT_SHARE): Pair[] =>
  makeSftExamples(seed, count, subjectShare).map(({ prompt, response }) => ({ prompt, response }));

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
  return makeSftExamples(seed, count, 0, types, typeShare).map((e) => makePreferencePair(e, rng, types));
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
