/**
 * The headline prompt and the probe timeline's milestones: plain data and a
 * pure function, apart from the checks themselves, so the page's main thread
 * can import them without pulling in the tasks, the lexicon and the suites
 * (those run in the worker).
 */
import type { ProbeOutput } from './probes.ts';
import type { SuiteExample } from './suite.ts';

export const HEADLINE: SuiteExample = {
  key: 'headline', prompt: 'Write a haiku about autumn.', instruction_id_list: ['heed:haiku'], kwargs: [{ topic: 'autumn' }], topic: 'autumn',
};

/** The last milestone: the round where every part passed in the same answer (the flip itself). */
export const ALL_PARTS = 'all three together';

/**
 * Where each part of a probe's checklist first passed, over the rounds so
 * far (the timeline marks these), then where they first all passed in one
 * answer (`ALL_PARTS`): [{ label, step }] with step null while it has not
 * passed yet. The parts can pass in different rounds long before the whole
 * check does ("about autumn" in a five-line answer).
 */
export function firstPasses(rounds: { step: number; outputs: ProbeOutput[] }[], probe = 0): { label: string; step: number | null }[] {
  const first = rounds.find((r) => r.outputs[probe]?.checklist)?.outputs[probe].checklist ?? [];
  if (!first.length) return [];
  const parts = first.map((c, i) => ({ label: c.label, step: rounds.find((r) => r.outputs[probe]?.checklist?.[i]?.pass)?.step ?? null }));
  return [...parts, { label: ALL_PARTS, step: rounds.find((r) => r.outputs[probe]?.pass)?.step ?? null }];
}
