/**
 * The audit of Heed's IFEval checks against Google's own checker: on the
 * development set (IFEval's GPT-4 responses, ../shared/data/ifeval), every
 * prompt's instruction verdicts are compared with Google's, strict and loose.
 * At most 1 % of prompts may disagree, and only those listed in ALLOWED.
 * Other response sets are kept apart as a test and are not read here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { type OfficialVerdict, checkVerdict, compareVerdicts } from '../../src/eval/agreement.ts';
import { checkInput, checkResponse, parseJsonl } from '../../src/eval/jsonl.ts';
import { type InputExample, scorePrompt, summarise } from '../../src/eval/score.ts';
import { loadLanguageModel } from '../../src/tasks/language.ts';

const dir = join(process.cwd(), '..', 'shared', 'data', 'ifeval');
const read = <T>(file: string, check: (v: unknown) => string | null) => parseJsonl<T>(readFileSync(join(dir, file), 'utf8'), check, `${file} line`);
const inputs = read<InputExample>('input_data_gpt4_20231107_145030.jsonl', checkInput);
const byPrompt = new Map(read<{ prompt: string; response: string }>('input_response_data_gpt4_20231107_145030.jsonl', checkResponse)
  .map((r) => [r.prompt, r.response]));
const official = read<OfficialVerdict>('official-verdicts-gpt4.jsonl', checkVerdict);
await loadLanguageModel();
const scores = inputs.map((i) => scorePrompt(i, byPrompt.get(i.prompt)!, 'ifeval'));

/**
 * Prompts allowed to disagree with Google's verdict ("KEY strict" or "KEY loose"), each with why.
 * None today. Keys 1122 and 1129 are worth knowing: their letter_frequency letter is "!" or "#",
 * which Google's checker replaces by a random letter, so its own verdict there can change between runs.
 */
const ALLOWED: Record<string, string> = {};

test("every GPT-4 prompt gets Google's verdicts, strict and loose, but for at most 1 % (listed in ALLOWED)", () => {
  expect(inputs.every((i) => byPrompt.has(i.prompt))).toBe(true);
  const a = compareVerdicts(inputs, scores, official);
  expect(a.prompts).toBe(541);
  expect(Object.keys(ALLOWED).length).toBeLessThanOrEqual(Math.floor(a.prompts * 0.01));
  const unexpected = a.disagreements.filter((d) => !(`${d.key} ${d.mode}` in ALLOWED));
  expect(unexpected, JSON.stringify(unexpected, null, 1)).toEqual([]);
  expect(a.strict / a.prompts).toBeGreaterThanOrEqual(0.99);
  expect(a.loose / a.prompts).toBeGreaterThanOrEqual(0.99);
});

test("the totals are Google's (417 / 698 / 431 / 714) and within a point of the paper's", () => {
  const s = summarise(inputs, scores);
  expect([s.promptStrict * 541, s.instructionStrict * 834, s.promptLoose * 541, s.instructionLoose * 834].map(Math.round))
    .toEqual([417, 698, 431, 714]); // the official file's README
  // Zhou et al. 2023, Table 3, GPT-4: 76.89 / 83.57 prompt / instruction strict, 79.30 / 85.37 loose.
  expect(Math.abs(s.promptStrict - 0.7689)).toBeLessThan(0.01);
  expect(Math.abs(s.instructionStrict - 0.8357)).toBeLessThan(0.01);
  expect(Math.abs(s.promptLoose - 0.793)).toBeLessThan(0.01);
  expect(Math.abs(s.instructionLoose - 0.8537)).toBeLessThan(0.01);
  expect(Object.keys(s.perType)).toHaveLength(25);
});

test('a verdicts file that does not match the prompts is refused with the key', () => {
  const wrong = official.map((o) => (o.key === 1000 ? { ...o, instruction_id_list: ['punctuation:no_comma'] } : o));
  expect(() => compareVerdicts(inputs, scores, wrong)).toThrow(/prompt key 1000: the verdicts file lists other instructions/);
  expect(() => compareVerdicts(inputs, scores, official.slice(1))).toThrow(/no official verdict for prompt key 1000/);
  expect(checkVerdict({ key: 1, strict: { follow_all: true } })).toMatch(/"strict" and "loose"/);
});

test('a disagreement names the prompt, the mode and the instruction', () => {
  const flipped = official.map((o) => (o.key === 1000
    ? { ...o, strict: { follow_all: true, follow_instruction_list: o.strict.follow_instruction_list.map(() => true) } } : o));
  const a = compareVerdicts(inputs, scores, flipped);
  expect(a.strict).toBe(540);
  expect(a.disagreements).toEqual([{ key: 1000, mode: 'strict', instructions: [{ id: 'length_constraints:number_words', heed: false, official: true }] }]);
});
