/**
 * The lesson recipe: the SFT run that the page offers by default and that
 * `heed sft` and `npm run bench:shift` use unless told otherwise — the run in
 * which a class is to watch the shipped base learn to answer "Write a haiku
 * about autumn." within minutes on a CPU laptop. Haiku-heavy pairs about
 * common nouns (so the model must copy the subject from the request), some
 * asked in people's words, a short warm-up, batch 12. From the shipped base
 * (b20t, 2026-12-03) the page's default run (seed 1) writes its first passing
 * autumn haiku at step 175 (about 1 min 45 s of training on the project's 2-core machine,
 * in Node and in Chromium) with 62.5 % of the held-out haiku passing then;
 * other seeds flip at 75-150 with 30-35 % (docs/experiments.md, "Topic poems
 * in pretraining" and "The full recipe from b20t"). Batch 8 flips on one
 * lucky answer at step 75 with 2.5 % of the suite; batch 16 is slower per
 * step than a lesson allows on a laptop. Choose its values on `haiku-valid`
 * (`npm run bench:shift -- --valid N`), never on the held-out suite.
 */
import type { SftMix } from './pairs.ts';
import { SUBJECT_ECHO } from '../tasks/haiku.ts';

export interface SftRecipe {
  steps: number;
  lr: number;
  batchSize: number;
  warmup: number;
  /** Probe rounds (the headline prompt and one prompt per type) every this many steps. */
  probeEvery: number;
  /** Built-in pairs: how many, from which seed, and of what. */
  pairs: number;
  seed: number;
  mix: Required<Omit<SftMix, 'types' | 'typeShare'>>;
}

export const LESSON_SFT: SftRecipe = {
  steps: 300,
  lr: 1e-3,
  batchSize: 12,
  warmup: 20,
  probeEvery: 25,
  pairs: 3000,
  seed: 1,
  mix: { subjectShare: 0.9, haikuShare: 0.8, syllableBalance: 0.3, peopleShare: 0.3, subjectEcho: SUBJECT_ECHO, topicHaikuShare: 0, variedLines: true },
};
