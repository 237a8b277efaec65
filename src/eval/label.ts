/**
 * Continuation or compliance? A label for each response, so the base
 * model's failure is described, not just counted:
 *   empty              nothing (or only whitespace)
 *   more_instructions  it went on writing instructions, like a worksheet
 *   restated_prompt    it repeated the prompt instead of answering
 *   answered           it followed every instruction, or at least wrote on the topic
 *   drifted            something else: off topic, rambling
 */
import { topicWords } from '../tasks/haiku.ts';

export const LABELS = ['answered', 'more_instructions', 'restated_prompt', 'drifted', 'empty'] as const;
export type Label = (typeof LABELS)[number];

const INSTRUCTION = /(^|\n)\s*(\d+[.)]\s*)?(write|compose|describe|list|give|tell|make|use|include|avoid|answer|start|begin|end|finish|add|put|wrap|do not|please|can you|a haiku)\b/i;
const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

export function labelResponse(prompt: string, response: string, topic: string, followedAll: boolean): Label {
  if (!response.trim()) return 'empty';
  if (followedAll) return 'answered';
  const r = norm(response);
  const p = norm(prompt);
  if (p.length > 8 && (r.startsWith(p) || r.includes(p))) return 'restated_prompt';
  if (INSTRUCTION.test(response)) return 'more_instructions';
  const onTopic = topicWords(topic).some((w) => r.split(' ').includes(w) || r.split(' ').includes(w + 's'));
  return onTopic ? 'answered' : 'drifted';
}

export function countLabels(labels: Label[]): Record<Label, number> {
  const out = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
  for (const l of labels) out[l]++;
  return out;
}

/**
 * The form shift a class sees first: the answer is a three-line poem that
 * answers, not a continuation of the document (more instructions, the prompt
 * restated). Whether it is about the topic, or counts 5-7-5, is the checks' job.
 */
export function hasPoemForm(prompt: string, response: string): boolean {
  const lines = response.split('\n').filter((l) => l.trim());
  if (lines.length !== 3) return false;
  // A poem's lines are short and not items of a worksheet ("2. Sum up lavender using just ...").
  if (lines.some((l) => /^\s*(\d+[.)]|[-*•])\s/.test(l) || l.trim().split(/\s+/).length > 9)) return false;
  const label = labelResponse(prompt, response, '', false);
  return label !== 'more_instructions' && label !== 'restated_prompt' && label !== 'empty';
}
