/** Prompt-level strict split by targeted instruction types, as bench:prefs reports it. */
import { expect, test } from 'vitest';
import type { EvalReport } from '../../src/eval/run.ts';
import { scorePrompt } from '../../src/eval/score.ts';
import type { SuiteExample } from '../../src/eval/suite.ts';
import { targetedSummary } from '../../src/eval/targets.ts';

const ex = (key: number, prompt: string, ids: string[], kwargs: Record<string, unknown>[]): SuiteExample => ({ key, prompt, instruction_id_list: ids, kwargs, topic: 'moon' });

test('targeted prompts are those holding a targeted type; each side is scored on its own prompts', () => {
  const suite = [
    ex(0, 'Write about the moon in all lowercase letters.', ['change_case:english_lowercase'], [{}]),
    ex(1, 'Write about the moon in all lowercase letters.', ['change_case:english_lowercase'], [{}]),
    ex(2, 'Write about the moon. Do not use any commas.', ['punctuation:no_comma'], [{}]),
    ex(3, 'Write about the moon. Do not use any commas.', ['punctuation:no_comma'], [{}]),
    ex(4, 'Write about the moon. Do not use any commas.', ['punctuation:no_comma'], [{}]),
  ];
  const answers = ['the moon is pale.', 'The Moon is pale.', 'the moon, pale', 'the moon is pale', 'pale moon'];
  const results = suite.map((e, i) => ({ key: e.key, prompt: e.prompt, response: answers[i], score: scorePrompt(e, answers[i]), label: 'answered' as const }));
  const report = { results, summary: {} as EvalReport['summary'], labels: {} as EvalReport['labels'], variety: {} as EvalReport['variety'] };
  expect(targetedSummary(suite, report, ['change_case:english_lowercase'])).toEqual({ targeted: 0.5, others: 2 / 3, targetedPrompts: 2, otherPrompts: 3 });
  expect(targetedSummary(suite, report, ['punctuation:no_comma'])).toEqual({ targeted: 2 / 3, others: 0.5, targetedPrompts: 3, otherPrompts: 2 });
  expect(() => targetedSummary(suite.slice(1), report, [])).toThrow(/5 results for 4 prompts/);
});
