/**
 * The instruction types Heed trains and evaluates, and how a prompt is built
 * from them: one content type (what to write) plus up to two constraints,
 * applied to the reference answer in a fixed order so they never undo each
 * other (the case change and the quotes go last).
 */
import type { Rng } from '../engine/rng.ts';
import { type Split, type Topic, topicsFor } from '../data/topics.ts';
import { bullets } from './bullets.ts';
import { capitals, lowercase } from './caseTasks.ts';
import { endPhrase, noComma, postscript, quotation, startWord, title } from './frameTasks.ts';
import { haiku } from './haiku.ts';
import { numberLines } from './lines.ts';
import { oneWord } from './oneWord.ts';
import { prose } from './prose.ts';
import type { GenContext, Kwargs, Task } from './types.ts';
import { avoidWord, includeWord } from './wordTasks.ts';

export const CONTENT_TASKS: Task[] = [haiku, numberLines, oneWord, bullets, prose];
/** In the order they are applied to a reference answer. */
export const CONSTRAINT_TASKS: Task[] = [includeWord, avoidWord, noComma, startWord, title, postscript, endPhrase, lowercase, capitals, quotation];
export const ALL_TASKS: Task[] = [...CONTENT_TASKS, ...CONSTRAINT_TASKS];
/** The types a prompt's verifiable instruction list can hold (prose has no check of its own). */
export const CHECKED_TYPES = ALL_TASKS.filter((t) => t !== prose).map((t) => t.id);

export interface Example {
  topic: string;
  prompt: string;
  response: string; // a correct reference answer
  instruction_id_list: string[];
  kwargs: Kwargs[];
}

const compatible = (a: Task, b: Task) => !a.conflicts.includes(b.id) && !b.conflicts.includes(a.id);

/**
 * One instruction example: `content` and `constraints` name the types (or
 * they are drawn at random), `n` is the number of verifiable instructions (1 or 2).
 */
export function makeExample(
  rng: Rng,
  split: Split,
  opts: { topic?: Topic; content?: Task; constraints?: Task[]; n?: 1 | 2; varied?: boolean; echo?: number } = {},
): Example {
  const topic = opts.topic ?? rng.pick(topicsFor(split));
  const ctx: GenContext = { topic: topic.name, words: topic.words, rng, split, varied: opts.varied, echo: opts.echo };
  const n = opts.n ?? (rng.next() < 0.5 ? 1 : 2);
  let content = opts.content ?? rng.pick(CONTENT_TASKS);
  let constraints = opts.constraints;
  if (!constraints) {
    const wanted = content === prose ? n : n - 1;
    constraints = [];
    for (const t of rng.shuffle(CONSTRAINT_TASKS)) {
      if (constraints.length >= wanted) break;
      if (compatible(t, content) && constraints.every((c) => compatible(c, t))) constraints.push(t);
    }
    if (content === prose && constraints.length === 0) content = haiku;
  }
  const ordered = CONSTRAINT_TASKS.filter((t) => constraints.includes(t));
  const tasks = [content, ...ordered];
  const kwargs = tasks.map((t) => t.kwargs(ctx));
  const sentences = tasks.map((t, i) => t.phrase(kwargs[i], ctx));
  let response = '';
  tasks.forEach((t, i) => (response = t.apply(response, kwargs[i], ctx)));
  const checked = tasks.map((t, i) => [t, kwargs[i]] as const).filter(([t]) => t !== prose);
  return {
    topic: topic.name,
    prompt: sentences.join(' '),
    response,
    instruction_id_list: checked.map(([t]) => t.id),
    kwargs: checked.map(([, k]) => k),
  };
}

/** `count` examples with distinct prompts; `make` gets how many are kept so far. */
export function distinctExamples(count: number, make: (kept: number) => Example): Example[] {
  const seen = new Set<string>();
  const out: Example[] = [];
  for (let i = 0; out.length < count && i < count * 20; i++) {
    const e = make(out.length);
    if (seen.has(e.prompt)) continue;
    seen.add(e.prompt);
    out.push(e);
  }
  return out;
}

export function taskById(id: string): Task | undefined {
  return ALL_TASKS.find((t) => t.id === id);
}
