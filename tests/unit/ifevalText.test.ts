/**
 * The two Python tools IFEval's checker leans on, as Heed reproduces them:
 * langdetect (a port, checked against Python's own answers) on CPython's
 * random generator, and Punkt's sentence splitting (rules, checked against
 * Punkt's counts). The reference answers come from the Python tools
 * themselves (scripts/ifevalReference.py) on IFEval's GPT-4 responses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { detectLanguage, detectLanguages, loadLanguageModel } from '../../src/tasks/language.ts';
import { PyRandom } from '../../src/tasks/pyRandom.ts';
import { looseVariants, verifyStrict } from '../../src/tasks/registry.ts';
import { countSentences, splitSentences } from '../../src/tasks/sentences.ts';

const dir = join(process.cwd(), '..', 'shared', 'data', 'ifeval');
const responses = readFileSync(join(dir, 'input_response_data_gpt4_20231107_145030.jsonl'), 'utf8')
  .split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { response: string }).response);
const reference = JSON.parse(readFileSync(join(process.cwd(), 'tests', 'fixtures', 'ifeval-reference.json'), 'utf8')) as
  { langdetect: [string, number][] | null; sentences: (number | null)[] }[];

await loadLanguageModel();

test("PyRandom draws CPython's stream: random.Random(0) and random.Random(12345)", () => {
  // Values printed by CPython 3.11: getrandbits(32) x3, random(), gauss() x2, choice(range(1000)), choice(range(7)).
  const r = new PyRandom(0);
  expect([r.uint32(), r.uint32(), r.uint32()]).toEqual([3626764237, 1654615998, 3255389356]);
  expect(r.random()).toBe(0.890243920837131);
  expect(r.gauss()).toBe(2.5110373812253317);
  expect(r.gauss()).toBe(0.6528772028059545);
  expect(r.choice([...Array(1000).keys()])).toBe(497);
  expect(r.choice([...Array(7).keys()])).toBe(3);
  expect(new PyRandom(12345).random()).toBe(0.41661987254534116);
});

test("langdetect: the port gives Python langdetect's probabilities on all 541 GPT-4 responses (seed 0)", () => {
  expect(reference).toHaveLength(responses.length);
  responses.forEach((text, i) => {
    const want = reference[i].langdetect;
    const got = detectLanguages(text);
    expect(got === null ? null : got.map((x) => x.lang), `response ${i}`).toEqual(want === null ? null : want.map(([l]) => l));
    got?.forEach((x, j) => expect(x.prob, `response ${i}`).toBeCloseTo(want![j][1], 12));
  });
});

test.each([
  // Python langdetect 1.0.9, DetectorFactory.seed = 0, on the same strings.
  ['Tie\u0302\u0301ng Vie\u0323\u0302t la\u0300 ngo\u0302n ngu\u031b\u0303 cu\u0309a ngu\u031bo\u031b\u0300i Vie\u0323\u0302t.', [['vi', 0.9999984103484137]]], // combining marks
  ['今天天氣很好，我們去公園散步吧。', [['ko', 0.7142849434416851], ['zh-tw', 0.28571494014488585]]], // CJK classes (Python says ko)
  ['THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG', [['en', 0.8571387862937907], ['de', 0.14285960056149374]]], // capitals: initials only
  ['sky.', [['cs', 0.999991023022305]]],
  ['Visit https://example.com or mail me@example.org today, friend', [['en', 0.9999942112781885]]],
] as [string, [string, number][]][])("langdetect: Python's answer on %j", (text, want) => {
  expect(detectLanguages(text)!.map((x) => [x.lang, x.prob])).toEqual(want);
});

test('langdetect: deterministic, and null only when there is nothing to read', () => {
  const text = 'Dies ist eine kurze Antwort auf Deutsch, und sie ist nicht sehr lang.';
  expect(detectLanguage(text)).toBe('de');
  expect(detectLanguages(text)).toEqual(detectLanguages(text));
  expect(detectLanguage('12345 !!! ...')).toBeNull();
  expect(detectLanguage('これは日本語の文章です。')).toBe('ja');
});

test("change_case:english_*: IFEval's rules ask langdetect for English, Heed's only reject other scripts", () => {
  const id = 'change_case:english_lowercase';
  expect(verifyStrict(id, 'sky.', {}, '', 'ifeval').pass).toBe(false); // langdetect: "cs"
  expect(verifyStrict(id, 'sky.', {}, '', 'heed').pass).toBe(true);
  expect(verifyStrict(id, 'небо голубое.', {}, '', 'heed').pass).toBe(false);
  expect(verifyStrict(id, 'the sky is blue and the leaves are falling from the old trees.', {}, '', 'ifeval').pass).toBe(true);
});

// Each count is Punkt's own (NLTK 3.8, english.pickle) on the same text.
const PUNKT_CASES: [string, number][] = [
  ['1. affordable kits: these work.\n2. mobile clinics: good.', 2], // a number before a lowercase word
  ['Mr. Smith went home. He said hi... The end.', 3],
  ['He said e.g. the cat sat.', 2], // Punkt's model does not know "e.g"
  ['Thanks.\n\nP.S. Remember to write.', 3],
  ["You are in o. Let's check the weather.", 2],
  ['We met J. Kowalski at noon.', 1], // an initial before a name (one that is also a noun, like Smith, is taken for a word)
  ['Plan: A. The history. B. Today.', 4],
  ['Buy milk, eggs, etc. Then go home.', 2],
  ['Ask Dr. Who is here', 1],
  ['It cost 3.50 dollars today', 1],
  ['The U.S. Department of State.', 1],
  ['She said "Stop." Then she left.', 2],
  ['(Is that a thing?), yes it is.', 2],
  ['Wait... the end is near.', 1],
  ['Apple Inc. The company grew.', 2],
  ['Answer:\n\n- Item one.\n- Item two.', 2],
];

test.each(PUNKT_CASES)('sentences as Punkt counts them: %j', (text, n) => expect(countSentences(text)).toBe(n));

test('a closing quote stays with its sentence', () => {
  expect(splitSentences('He said "Stop." Then she left.')).toEqual(['He said "Stop."', 'Then she left.']);
  expect(splitSentences('"Why?" she asked. "Because."')).toEqual(['"Why?"', 'she asked.', '"Because."']);
});

test("sentences: Punkt's count on at least 98.5 % of the loose variants of the GPT-4 responses", () => {
  let same = 0;
  let total = 0;
  responses.forEach((text, i) => {
    looseVariants(text).forEach((v, j) => {
      const want = reference[i].sentences[j];
      if (want === null) return;
      total++;
      if (countSentences(v) === want) same++;
    });
  });
  // Measured 2026-11-30: 3,549 / 3,593 (98.8 %); the regex splitter before it: 3,237 (90.1 %).
  expect(total).toBe(3593);
  expect(same / total).toBeGreaterThanOrEqual(0.985);
});
