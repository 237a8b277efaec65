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

/**
 * Where each part of a probe's checklist first passed, over the rounds so
 * far (the timeline marks these): [{ label, step }] with step null while it
 * has not passed yet.
 */
export function firstPasses(rounds: { step: number; outputs: ProbeOutput[] }[], probe = 0): { label: string; step: number | null }[] {
  const first = rounds.find((r) => r.outputs[probe]?.checklist)?.outputs[probe].checklist ?? [];
  return first.map((c, i) => ({ label: c.label, step: rounds.find((r) => r.outputs[probe]?.checklist?.[i]?.pass)?.step ?? null }));
}
