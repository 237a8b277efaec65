/**
 * Evaluation suites, frozen: generated once from fixed seeds by
 * `npm run suites` (scripts/freezeSuites.ts) into src/eval/suites/*.json, and
 * read from there, so adding an instruction type or changing a reference
 * answer cannot silently move a figure; tests/unit/suites.test.ts fails when
 * the generators drift from the files. The suites:
 * `train` (training topics and phrasings, fresh combinations) and `heldout`
 * (topics and phrasings that never appear in SFT data). Each suite mixes all
 * instruction types alone and in pairs; `haiku` suites hold only the headline
 * prompt type, and `haiku-valid` asks for haiku about nouns no SFT data holds.
 * `haiku-requests` is written by hand: 40 haiku requests as people write them
 * (another verb, context first, a bare label, the form described, plurals,
 * typos), about held-out topics and validation nouns; for choosing recipes,
 * never trained on.
 */
import { Rng } from '../engine/rng.ts';
import type { Split } from '../data/topics.ts';
import { CONTENT_TASKS, type Example, distinctExamples, makeExample } from '../tasks/index.ts';
import { haiku } from '../tasks/haiku.ts';
import type { InputExample } from './score.ts';
import validSubjects from '../data/validSubjects.json';
import { subjectTopic } from '../datasets/pairs.ts';
import heldoutSuite from './suites/heldout.json';
import trainSuite from './suites/train.json';
import haikuHeldoutSuite from './suites/haiku-heldout.json';
import haikuTrainSuite from './suites/haiku-train.json';
import haikuValidSuite from './suites/haiku-valid.json';
import haikuRequests from './suites/haiku-requests.json';

export const SUITE_SEEDS: Record<Split, number> = { train: 7001, heldout: 9001 };

export interface SuiteExample extends InputExample {
  topic: string;
}

const toSuiteExample = (e: Example, key: number): SuiteExample => ({ key, prompt: e.prompt, instruction_id_list: e.instruction_id_list, kwargs: e.kwargs, topic: e.topic });

export function makeSuite(split: Split, size = 120, seed = SUITE_SEEDS[split]): SuiteExample[] {
  const rng = new Rng(seed);
  // Content types in turn, so every type is in every suite.
  const examples = distinctExamples(size, (kept) => makeExample(rng, split, { content: CONTENT_TASKS[kept % CONTENT_TASKS.length] }));
  return examples.map(toSuiteExample);
}

/** Haiku prompts only, one instruction each: the headline measurement. */
export function makeHaikuSuite(split: Split, size = 40, seed = SUITE_SEEDS[split] + 1): SuiteExample[] {
  const rng = new Rng(seed);
  return Array.from({ length: size }, (_, key) => toSuiteExample(makeExample(rng, split, { content: haiku, constraints: [], n: 1 }), key));
}

/**
 * Haiku prompts about some 200 nouns that no SFT data and no held-out topic holds (src/data/validSubjects.json),
 * in held-out phrasings: for choosing among tuning runs and checkpoints, so that the held-out figure
 * reported is not also the one chosen on.
 */
export function makeValidSuite(seed = SUITE_SEEDS.heldout + 2): SuiteExample[] {
  const rng = new Rng(seed);
  return (validSubjects as string[]).map((word, key) => toSuiteExample(makeExample(rng, 'heldout', { topic: subjectTopic(word), content: haiku, constraints: [], n: 1 }), key));
}

import { SUITE_NAMES, type SuiteName } from './suiteNames.ts';
export { SUITE_NAMES, type SuiteName };

/** What the generators make for a suite name today (only the freezing script and the drift test call this). */
export function generateSuite(name: SuiteName): SuiteExample[] {
  if (name === 'haiku-requests') return FROZEN[name]; // written by hand: the file is its own source
  if (name === 'haiku-valid') return makeValidSuite();
  const split: Split = name.endsWith('train') ? 'train' : 'heldout';
  return name.startsWith('haiku') ? makeHaikuSuite(split) : makeSuite(split);
}

const FROZEN: Record<SuiteName, SuiteExample[]> = {
  heldout: heldoutSuite, train: trainSuite, 'haiku-heldout': haikuHeldoutSuite, 'haiku-train': haikuTrainSuite, 'haiku-valid': haikuValidSuite,
  'haiku-requests': haikuRequests,
} as Record<SuiteName, SuiteExample[]>;

/**
 * A frozen suite by its CLI and UI name: `heldout`/`train` mix every type; `haiku-*` hold the headline
 * type only. A fresh copy, so a caller may slice or edit it.
 */
export function suiteByName(name: SuiteName): SuiteExample[] {
  return structuredClone(FROZEN[name]);
}
