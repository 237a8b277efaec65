/**
 * Every verifier on passing and failing text, tricky cases included; strict
 * vs loose as IFEval defines them.
 */
import { describe, expect, test } from 'vitest';
import { loadLanguageModel } from '../../src/tasks/language.ts';
import { VERIFIERS, isInstruction, verifyLoose, verifyStrict } from '../../src/tasks/registry.ts';
import { ALL_TASKS, CHECKED_TYPES } from '../../src/tasks/index.ts';
import type { Kwargs } from '../../src/tasks/types.ts';
import { checkScorable, scorePrompt, summarise } from '../../src/eval/score.ts';
import { parseJsonl } from '../../src/eval/jsonl.ts';
import { lineSyllables, wordSyllables } from '../../src/data/syllables.ts';

await loadLanguageModel(); // language:response_language asks langdetect

type Case = [id: string, kwargs: Kwargs, pass: string[], fail: string[]];

const haikuPass = [
  'red leaves on the path\nthe wind carries them away\na cold quiet road',
  'Autumn moon tonight\nthe maple leaves drift slowly\nover the grey roof  \n', // trailing whitespace
  'twenty-one red leaves\nwell-known hills, 42 roads\ncold autumn river', // hyphens and digits: 5-7-5
];

const CASES: Case[] = [
  ['change_case:english_lowercase', {}, ['all lowercase here, with 3 digits and punctuation!', 'the moon is out.\nthe sky is dark.', 'it is 5 p.m. and the tea is hot'],
    ['The moon is out.', 'all lowercase but one Word', '1234 !!!']],
  ['change_case:english_capital', {}, ['THE MOON IS OUT.', 'IT IS 5 PM AND THE TEA IS HOT!', 'A QUIET ROAD, 2 TREES.'],
    ['THE MOON IS out.', 'the moon', '42']],
  ['change_case:capital_word_frequency', { capital_frequency: 2, capital_relation: 'at least' },
    ['THE moon IS bright', 'I SAID NO', 'U.S. and NASA'], ['only ONE here', 'none here', 'Title Case Words']],
  ['detectable_format:number_bullet_lists', { num_bullets: 3 }, ['* one\n* two\n* three', '- one\n- two\n- three', 'intro\n* one\n- two\n  * three'],
    ['* one\n* two', '* one\n* two\n* three\n* four', '**bold** line\n* one\n* two']],
  ['detectable_format:title', {}, ['<<Poem of Joy>>\ntext', 'text <<A title>>', '<<x>>'], ['no title', '<< >> empty', '<<broken\ntitle>>']],
  ['detectable_format:json_format', {}, ['{"a": 1}', '```json\n{"a": [1, 2]}\n```', '  [1, 2, 3]  '], ['{a: 1}', 'text {"a": 1}', '```json\n{"a": }\n```']],
  ['detectable_format:number_highlighted_sections', { num_highlights: 2 }, ['*one* and *two*', '**bold one** and *two*', '*a*\n*b*\n*c*'],
    ['*one* only', '** ** and * *', 'no highlights']],
  ['detectable_format:multiple_sections', { section_spliter: 'Section', num_sections: 2 }, ['Section 1\nA\nSection 2\nB', 'Section 1 a Section 2 b Section 3 c', 'intro\nSection 1\nx\nSection 2\ny'],
    ['Section 1 only', 'SECTION 1 x SECTION 2 y', 'Part 1 x Part 2 y']],
  ['detectable_format:constrained_response', {}, ['My answer is yes.', 'Well. My answer is maybe.', '  My answer is no.  '], ['Yes.', 'My answer is yes', 'my answer is no.']],
  ['keywords:existence', { keywords: ['moon', 'tea'] }, ['The Moon and the TEA', 'moonlight and teapots', 'tea, then moon'], ['just the moon', 'only tea', 'neither']],
  ['keywords:frequency', { keyword: 'rain', frequency: 2, relation: 'at least' }, ['rain and rain', 'Rain, rainbow', 'rain rain rain'], ['rain once', 'no r-a-i-n', 'drizzle']],
  ['keywords:frequency', { keyword: 'rain', frequency: 2, relation: 'less than' }, ['rain once', 'none at all', 'drizzle'], ['rain rain', 'Rain and RAIN', 'rain rain rain']],
  ['keywords:forbidden_words', { forbidden_words: ['sun', 'hot'] }, ['the sunny day', 'a shot of tea', 'cold and grey'], ['the sun', 'HOT tea', 'sun, hot']],
  ['keywords:letter_frequency', { letter: 'z', let_frequency: 2, let_relation: 'at least' }, ['zz', 'Zoo and zebra', 'jazz'], ['z', 'one z, then bus', 'nothing']],
  ['length_constraints:number_words', { num_words: 4, relation: 'less than' }, ['one two three', 'well-known', 'a b c'], ['one two three four', 'a b c d e', "it's a b c"]],
  ['length_constraints:number_sentences', { num_sentences: 2, relation: 'at least' }, ['One. Two.', 'Mr. Smith came. He left!', 'Is it? Yes.'],
    ['Only one.', 'Dr. Who is here', 'It cost 3.50 dollars today']],
  ['length_constraints:number_paragraphs', { num_paragraphs: 2 }, ['a\n***\nb', '***\na\n***\nb\n***', 'para one *** para two'], ['a', 'a\n***\n***\nb', 'a\n***\nb\n***\nc']],
  ['length_constraints:nth_paragraph_first_word', { num_paragraphs: 2, nth_paragraph: 2, first_word: 'then' }, ['first\n\nThen second', 'first\n\n"Then," she said', 'a\n\nthen.'],
    ['first\n\nAnd then', 'one paragraph then', 'a\n\nthen\n\nc']],
  ['detectable_content:number_placeholders', { num_placeholders: 2 }, ['[name] at [address]', '[a][b][c]', 'Dear [x],\n[y]'], ['[name] only', 'no placeholders', '(a) (b)']],
  ['detectable_content:postscript', { postscript_marker: 'P.S.' }, ['Hi\n\nP.S. bye', 'text\np.s. lower', 'a\nP. S. spaced'], ['Hi\nPS bye', 'no postscript', 'P.P.S only']],
  ['detectable_content:postscript', { postscript_marker: 'P.P.S' }, ['Hi\n\nP.P.S bye', 'x\np.p.s. y', 'a\nP. P. S z'], ['Hi\nP.S. bye', 'PPS', 'nothing']],
  ['startend:end_checker', { end_phrase: 'Any other questions?' }, ['Done. Any other questions?', '"Done. Any other questions?"', 'done. any other questions?  '],
    ['Any other questions? Bye.', 'Any other question', 'nothing']],
  ['startend:quotation', {}, ['"quoted"', '  "with spaces"  ', '"multi\nline"'], ['"half', 'none', '"']],
  ['punctuation:no_comma', {}, ['no commas here.', 'semi; colons: fine', 'a\nb'], ['one, two', 'a,b', ',']],
  ['combination:repeat_prompt', { prompt_to_repeat: 'Write a poem.' }, ['Write a poem. Roses...', 'write a poem. here', '  Write a poem.'], ['Sure! Write a poem.', 'A poem', 'Write a poem']],
  ['combination:two_responses', {}, ['one\n******\ntwo', '******\na\n******\nb\n******', 'x ****** y'], ['one', 'a\n******\na', 'a\n******\n******\nb']],
  ['language:response_language', { language: 'de' }, ['Das ist nicht die Antwort, und ich bin müde.', 'Der Hund und die Katze sind zu Hause.', 'Ich habe es nicht gesehen, aber es ist gut.'],
    ['This is an English sentence about the dog.', 'Le chien et le chat sont dans la maison.', 'Это не ответ, и я устал.']],
  ['heed:haiku', { topic: 'autumn' }, haikuPass, [
    'red leaves on the path\nthe wind carries them away', // two lines
    'red leaves on the path\nthe wind carries them far away\na cold quiet road', // 5-8-5
    'the sea on the path\nthe wind carries them away\na cold quiet road\nmore', // four lines
  ]],
  ['heed:number_lines', { num_lines: 3 }, ['a\nb\nc', 'a\n\nb\n\nc\n', ' one \n two \n three '], ['a\nb', 'a\nb\nc\nd', 'one line']],
  ['heed:start_word', { word: 'Sure' }, ['Sure. Here it is.', 'sure thing', '"Sure," she said.'], ['Yes sure', 'Surely not', '']],
  ['heed:one_word', {}, ['Autumn.', 'leaves', '"Maple!"'], ['two words', 'well-known', '']],
];

describe.each(CASES)('%s %j', (id, kwargs, passes, fails) => {
  test.each(passes)('passes: %j', (text) => expect(verifyStrict(id, text, kwargs, '').pass).toBe(true));
  test.each(fails)('fails: %j', (text) => expect(verifyStrict(id, text, kwargs, '').pass).toBe(false));
});

test('one registry: every task checks with the registered verifier of its type, and every checked type is registered', () => {
  for (const t of ALL_TASKS.filter((task) => task.id !== 'heed:prose')) expect(VERIFIERS[t.id], t.id).toBe(t.verify);
  for (const id of CHECKED_TYPES) expect(isInstruction(id), id).toBe(true);
});

test('every registered instruction type has cases here', () => {
  const covered = new Set(CASES.map(([id]) => id));
  expect(Object.keys(VERIFIERS).filter((id) => !covered.has(id))).toEqual([]);
});

test('a haiku that misses the topic fails with the reason', () => {
  const v = verifyStrict('heed:haiku', haikuPass[0], { topic: 'ocean' });
  expect(v).toEqual({ pass: false, reason: '5-7-5 but not about ocean' });
});

test('loose tries the response without its first or last line and without * markers', () => {
  const framed = 'Sure, here it is:\nall lowercase text\nHope you like it!';
  expect(verifyStrict('change_case:english_lowercase', framed, {}).pass).toBe(false);
  expect(verifyLoose('change_case:english_lowercase', framed, {}).pass).toBe(true);
  expect(verifyStrict('startend:quotation', '*"quoted"*', {}).pass).toBe(false);
  expect(verifyLoose('startend:quotation', '*"quoted"*', {}).pass).toBe(true);
  expect(verifyLoose('punctuation:no_comma', 'a, b\nc, d', {}).pass).toBe(false);
});

test('an empty response never follows, and unknown ids are refused', () => {
  expect(verifyStrict('punctuation:no_comma', '   ', {}).pass).toBe(false);
  expect(() => verifyStrict('heed:telepathy', 'x', {})).toThrow(/unknown instruction/);
});

test('Object-prototype names are unknown instructions, in the registry and in scoring', () => {
  for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    expect(() => verifyStrict(id, 'x', {})).toThrow(`unknown instruction "${id}"`);
    const input = { key: 1, prompt: 'p', instruction_id_list: [id], kwargs: [{}] };
    expect(checkScorable(input)).toBe(`unknown instruction "${id}"`);
    expect(() => parseJsonl(JSON.stringify(input), checkScorable, 'in.jsonl line')).toThrow(`in.jsonl line 1: unknown instruction "${id}"`);
  }
  expect(checkScorable({ prompt: 'p', instruction_id_list: ['keywords:frequency'], kwargs: [{ keyword: 'x' }] })).toMatch(/missing numeric argument "frequency"/);
});

test('per-type tables count an instruction named "__proto__" like any other', () => {
  const inputs = [{ prompt: 'p', instruction_id_list: ['punctuation:no_comma'], kwargs: [{}] }];
  const scores = inputs.map((i) => scorePrompt(i, 'no commas here'));
  const odd = [{ ...inputs[0], instruction_id_list: ['__proto__'] }];
  const s = summarise(odd, scores);
  expect(Object.keys(s.perType)).toEqual(['__proto__']);
  expect(s.perType.__proto__).toEqual({ count: 1, strict: 1, loose: 1 });
});

test('a word such as "constructor" gets its syllables counted, not looked up on Object', () => {
  expect(wordSyllables('constructor')).toBe(3);
  expect(lineSyllables('constructor toString valueOf')).toBeGreaterThan(5);
  expect(Number.isInteger(lineSyllables('__proto__ hasOwnProperty'))).toBe(true);
});

test('keywords that would backtrack without bound are matched literally, so a check cannot hang', () => {
  // Each of these takes minutes as a regex on its text; a broken guard fails this test by timing out.
  const cases: [Kwargs, string][] = [
    [{ keywords: ['(a+)+$'] }, 'a'.repeat(40) + '!'],
    [{ keywords: ['(a|a)*b'] }, 'a'.repeat(40)],
    [{ keywords: ['(x*)*y'] }, 'x'.repeat(40)],
  ];
  for (const [k, text] of cases) {
    expect(verifyStrict('keywords:existence', text, k).pass).toBe(false);
    expect(verifyStrict('keywords:existence', `${text} (a+)+$ (a|a)*b (x*)*y`, k).pass).toBe(true); // found as literal text
    expect(verifyStrict('keywords:forbidden_words', text, { forbidden_words: k.keywords }).pass).toBe(true);
  }
  expect(verifyStrict('keywords:frequency', 'a'.repeat(40) + ' (a+)+ (a+)+', { keyword: '(a+)+', relation: 'at least', frequency: 2 }).pass).toBe(true);
  expect(verifyStrict('detectable_content:postscript', 'a'.repeat(40) + '!', { postscript_marker: '(a+)+$' }).pass).toBe(false);
  expect(verifyStrict('detectable_content:postscript', ' '.repeat(200_000) + 'x', { postscript_marker: 'P.S.' }).pass).toBe(false);
  expect(verifyStrict('detectable_content:number_placeholders', '['.repeat(200_000), { num_placeholders: 1 }).pass).toBe(false);
  expect(() => verifyStrict('keywords:existence', 'x', { keywords: ['k'.repeat(201)] })).toThrow(/201 characters is over the 200-character limit/);
});

test('linear keyword patterns keep their regex meaning (IFEval compiles keywords)', () => {
  expect(verifyStrict('keywords:existence', 'The Cat sat.', { keywords: ['c.t'] }).pass).toBe(true);
  expect(verifyStrict('keywords:existence', 'route 66', { keywords: ['route \\d\\d'] }).pass).toBe(true);
  expect(verifyStrict('keywords:existence', 'grey', { keywords: ['gr[ae]y'] }).pass).toBe(true);
  expect(verifyStrict('detectable_content:postscript', 'hi\n\nP.S. bye', { postscript_marker: 'P.S.' }).pass).toBe(true);
  expect(verifyStrict('detectable_content:number_placeholders', '[a] [b [c]\n[d', { num_placeholders: 2 }).pass).toBe(true);
  expect(verifyStrict('detectable_content:number_placeholders', '[a] [b [c]\n[d', { num_placeholders: 3 }).pass).toBe(false);
});
