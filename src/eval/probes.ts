/**
 * The probe set: a few fixed held-out prompts that the playground re-answers
 * (greedy, same seed) every few SFT steps, so a learner watches the haiku
 * appear. The headline prompt first, then the first held-out suite prompt of
 * each other content type.
 */
import { type InputExample, scorePrompt } from './score.ts';
import { CONTENT_TASKS } from '../tasks/index.ts';
import { type SuiteExample, suiteByName } from './suite.ts';
import { HEADLINE } from './headline.ts';
import { answers } from './run.ts';
import type { GPT } from '../engine/model.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { type HaikuCheck, haikuChecklist } from '../tasks/haiku.ts';

export { ALL_PARTS, HEADLINE, firstPasses } from './headline.ts';

export function probeSet(): SuiteExample[] {
  const suite = suiteByName('heldout');
  const others = CONTENT_TASKS.filter((t) => t.id !== 'heed:haiku' && t.id !== 'heed:prose').map((t) => suite.find((e) => e.instruction_id_list[0] === t.id));
  return [HEADLINE, ...others.filter((e): e is SuiteExample => Boolean(e))];
}

export interface ProbeOutput {
  prompt: string;
  text: string;
  pass: boolean;
  reasons: string[];
  /** For a haiku prompt, its check taken apart (three lines, 5-7-5, about the topic), so progress shows before the flip. */
  checklist?: HaikuCheck[];
}

/** Check a response against every instruction of its prompt (strict). */
export function checkProbe(e: InputExample, text: string): ProbeOutput {
  const score = scorePrompt(e, text);
  const out: ProbeOutput = { prompt: e.prompt, text, pass: score.strict.follow_all, reasons: score.reasons };
  const h = e.instruction_id_list.indexOf('heed:haiku');
  if (h >= 0) out.checklist = haikuChecklist(text, String(e.kwargs[h].topic));
  return out;
}

/** One probe round as the page runs it: every probe answered greedily (100 tokens) and checked. */
export async function probeRound(model: GPT, tokenizer: CharTokenizer, probes: SuiteExample[] = probeSet()): Promise<ProbeOutput[]> {
  const texts = await answers(model, tokenizer, probes.map((e) => e.prompt), { maxNewTokens: 100 });
  return probes.map((e, i) => checkProbe(e, texts[i]));
}
