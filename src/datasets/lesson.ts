/**
 * The lesson recipe: the SFT run that the page offers by default and that
 * `heed sft` and `npm run bench:shift` use unless told otherwise — the run in
 * which a class is to watch the shipped base learn to answer "Write a haiku
 * about autumn." within minutes on a CPU laptop. Haiku-heavy pairs about
 * common nouns (so the model must copy the subject from the request), some
 * asked in people's words, a short warm-up. Today it shows the form shift
 * (a three-line poem by step 50) but not yet the autumn flip from the shipped
 * base: docs/experiments.md, "The live shift and varied poems"; from a base
 * that copies and counts ("A base that counts"), the same values flip it at
 * step 175-275 with 35-45 % held-out haiku at that point ("Requests with the
 * subject first", 2026-12-02); from base18b, at 100-200 with 15-27.5 %,
 * ending at 50-57.5 % (batch 16 ends at 62.5-70 %, but its steps are slower
 * than a lesson allows on a laptop: "A base made with the new data"); from
 * base19b at batch 12, at 50-250 with 15-57.5 %, ending at 35-80 % ("base19,
 * the lesson at batch 12"). Choose its
 * values on `haiku-valid` (`npm run bench:shift -- --valid N`), never on the
 * held-out suite.
 */
import type { SftMix } from './pairs.ts';

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
  batchSize: 8,
  warmup: 20,
  probeEvery: 25,
  pairs: 3000,
  seed: 1,
  mix: { subjectShare: 0.9, haikuShare: 0.8, syllableBalance: 0.3, peopleShare: 0.3, topicHaikuShare: 0, variedLines: true },
};
