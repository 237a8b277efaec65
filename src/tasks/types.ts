/**
 * What every instruction type shares: IFEval's instruction ids and keyword
 * arguments, and a verdict that says why, for a person to read.
 */
export type Kwargs = Record<string, unknown>;

export interface Verdict {
  pass: boolean;
  reason: string;
}

/**
 * Whose reading of an instruction to apply where the two differ: `ifeval` is
 * Google's checker exactly (`change_case:english_*` also ask langdetect for
 * "en"), for scoring IFEval's files; `heed` checks the case of Heed's own
 * model's answers without that detector, which cannot tell the language of
 * one word, and reads all-capital text by its initials only.
 */
export type Rules = 'ifeval' | 'heed';

/** Check one response against one instruction; the prompt is passed for types that need it. */
export type VerifyFn = (response: string, kwargs: Kwargs, prompt: string, rules: Rules) => Verdict;

export const verdict = (pass: boolean, reason: string): Verdict => ({ pass, reason });

/** A keyword argument as a number, or a clear error naming it. */
export function intArg(kwargs: Kwargs, name: string): number {
  const v = kwargs[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`missing numeric argument "${name}"`);
  return v;
}

export function strArg(kwargs: Kwargs, name: string): string {
  const v = kwargs[name];
  if (typeof v !== 'string') throw new Error(`missing string argument "${name}"`);
  return v;
}

/** What a generator has to work with: the topic, its words, a seeded RNG, the split. */
export interface GenContext {
  topic: string;
  words: string[]; // words related to the topic
  rng: import('../engine/rng.ts').Rng;
  split: 'train' | 'heldout';
  /** Lines of a list or a lines answer each take a different related word, in varied shapes (SFT data; `topicLines`). */
  varied?: boolean;
  /** Subject haiku: share whose third line brings the subject back (default `SUBJECT_ECHO`; see `makeHaiku`). */
  echo?: number;
}

/**
 * One instruction type: it makes the instruction's text and arguments,
 * turns a draft response into one that follows it, makes a near miss that
 * does not, and verifies. The same file serves data and evaluation.
 */
export interface Task {
  id: string;
  /** `content` types decide what the response is (a haiku, N lines...); `constraint` types modify it. */
  kind: 'content' | 'constraint';
  /** Ids this type cannot be combined with in one prompt. */
  conflicts: string[];
  kwargs(ctx: GenContext): Kwargs;
  /** Sentence templates ({topic}, {n}, ...): train ones for SFT data, held-out ones only in the heldout suite. */
  phrasings: { train: string[]; heldout: string[] };
  /** The instruction as a sentence, in one of the split's phrasings. */
  phrase(kwargs: Kwargs, ctx: GenContext): string;
  /** Content types: write the draft. Constraint types: change it so it follows. */
  apply(draft: string, kwargs: Kwargs, ctx: GenContext): string;
  /** A response that misses this instruction narrowly (for preference pairs). */
  nearMiss(good: string, kwargs: Kwargs, ctx: GenContext): string;
  verify: VerifyFn;
}

/** Pick a phrasing: train phrasings for the train split, held-out ones for heldout. */
export function phrasing(ctx: GenContext, p: { train: string[]; heldout: string[] }, vars: Record<string, string | number>): string {
  const template = ctx.rng.pick(ctx.split === 'train' ? p.train : p.heldout);
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
}
