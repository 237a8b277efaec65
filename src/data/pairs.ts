/**
 * Instruction pairs for SFT and preference pairs for DPO / reward models,
 * made by the tasks from training topics and phrasings only (the held-out
 * suite never leaks in). Alone and in pairs of two instructions, as IFEval
 * combines them.
 */
import { Rng } from '../engine/rng.ts';
import { type Example, distinctExamples, makeExample, taskById } from '../tasks/index.ts';
import { findTopic } from './topics.ts';
import { verifyStrict } from '../tasks/registry.ts';

export interface Pair {
  prompt: string;
  response: string;
}

export interface PreferencePair {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** `count` distinct SFT examples from the training split. */
export function makeSftExamples(seed: number, count: number): Example[] {
  const rng = new Rng(seed);
  return distinctExamples(count, () => makeExample(rng, 'train'));
}

export const makeSftPairs = (seed: number, count: number): Pair[] =>
  makeSftExamples(seed, count).map(({ prompt, response }) => ({ prompt, response }));

/**
 * A preference pair: chosen = the reference answer, rejected = a near miss on
 * one of its instructions, or (sometimes) a continuation that adds more
 * instructions — the base model's habit.
 */
export function makePreferencePair(e: Example, rng: Rng): PreferencePair {
  const topic = findTopic(e.topic)!;
  const ctx = { topic: topic.name, words: topic.words, rng, split: 'train' as const };
  if (rng.next() < 0.2) {
    const more = makeExample(rng, 'train', { n: 1 }).prompt;
    const continuation = `${e.prompt}\n2. ${more}`;
    // Rarely the continuation happens to satisfy the prompt (say, "2 lines"); then use a near miss instead.
    const fails = e.instruction_id_list.some((id, i) => !verifyStrict(id, continuation, e.kwargs[i], e.prompt).pass);
    if (fails) return { prompt: e.prompt, chosen: e.response, rejected: continuation };
  }
  const i = rng.int(e.instruction_id_list.length);
  const task = taskById(e.instruction_id_list[i])!;
  return { prompt: e.prompt, chosen: e.response, rejected: task.nearMiss(e.response, e.kwargs[i], ctx) };
}
