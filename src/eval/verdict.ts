/**
 * The checks' verdict on one answer, in plain words for a learner: a ✓ or ✗,
 * what the model did (the failure label said as a sentence), and the check's
 * own reasons ("2 lines (a haiku has 3)", "3 lines, 5-7-5, about autumn").
 * Used where an answer is shown beside its verdict, first of all on the
 * page's opening screen (the base model and the tuned one on the headline).
 */
import { type Label, labelResponse } from './label.ts';
import { scorePrompt } from './score.ts';
import type { SuiteExample } from './suite.ts';

/** What each failure label means, as a learner would say it. */
export const LABEL_WORDS: Record<Label, string> = {
  answered: 'answered the request',
  more_instructions: 'continued the document with more instructions',
  restated_prompt: 'repeated the prompt instead of answering',
  drifted: 'wrote about something else',
  empty: 'wrote nothing',
};

export interface Verdict {
  pass: boolean;
  label: Label;
  /** One line: the mark, what the model did when it failed, and the checks' reasons. */
  words: string;
  reasons: string[];
}

export function verdictFor(e: SuiteExample, response: string): Verdict {
  const score = scorePrompt(e, response);
  const pass = score.strict.follow_all;
  const label = labelResponse(e.prompt, response, e.topic, pass);
  const said = pass || label === 'answered' ? [] : [LABEL_WORDS[label]];
  const words = `${pass ? '✓' : '✗'} ${[...said, ...score.reasons].join('; ')}`;
  return { pass, label, words, reasons: score.reasons };
}
