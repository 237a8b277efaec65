/** The corpus, the chat template and its mask, JSONL reading, failure labels (IFEval scoring: ifevalAudit.test.ts). */
import { expect, test } from 'vitest';
import { renderChat, renderPrompt } from '../../src/data/chat.ts';
import { nonceWord } from '../../src/data/nonceWords.ts';
import { TOPICS, findTopic } from '../../src/data/topics.ts';
import { lineSyllables } from '../../src/data/syllables.ts';
import lexicon from '../../src/data/lexicon.json';
import { Rng } from '../../src/engine/rng.ts';
import { GENRE_WEIGHTS, buildCorpus, corpusTokens, parseGenres } from '../../src/datasets/corpus.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { MAX_TEXT_CHARS, checkInput, checkPair, checkPreference, checkResponse, parseJsonl } from '../../src/eval/jsonl.ts';
import { hasPoemForm, labelResponse } from '../../src/eval/label.ts';
import { countedFirstLine, countingPrompt } from '../../src/eval/counting.ts';
import { makeHaiku, mentions } from '../../src/tasks/haiku.ts';

const tok = CharTokenizer.ascii();

test('the corpus is deterministic for a seed, web-like, and free of chat tokens', () => {
  const a = buildCorpus(3, 200_000);
  expect(buildCorpus(3, 200_000)).toEqual(a);
  expect(buildCorpus(4, 200_000)).not.toEqual(a);
  const text = a.join('\n');
  expect(text.length).toBeGreaterThanOrEqual(200_000);
  expect(text).toMatch(/Write a haiku about|Compose a haiku on/); // prompt worksheets
  expect(text).toMatch(/^Thread: /m);
  expect(text).toMatch(/^Dear /m);
  expect(text).toMatch(/autumn/); // held-out topics are in pretraining
  expect(text).not.toMatch(/<\|(user|assistant|end)\|>/);
  const ids = corpusTokens(tok, a);
  expect(ids.filter((i) => i === tok.special('<|unk|>')).length).toBe(0);
  expect(ids.filter((i) => i === tok.special('<|doc|>')).length).toBe(a.length);
});

test('genre weights reshape the corpus: worked haiku worksheets ask about a noun and answer with a poem that opens with it', () => {
  const only = { ...Object.fromEntries(Object.keys(GENRE_WEIGHTS).map((g) => [g, 0])), poemExercise: 1 } as typeof GENRE_WEIGHTS;
  const pages = buildCorpus(5, 20_000, only);
  const items = pages.flatMap((p) => p.split('\n\n').slice(1));
  expect(items.length).toBeGreaterThan(30);
  for (const item of items) {
    const [request, label, ...poem] = item.split('\n');
    expect(label).toMatch(/^(Answer|Model answer|Example):$/);
    expect(poem).toHaveLength(3);
    const noun = poem[0].split(/[ ,]/)[0];
    expect(request.toLowerCase(), item).toContain(noun.slice(0, -1)); // the poem opens with the requested noun (its singular may differ)
  }
  expect(pages.join('\n')).not.toMatch(/<\|(user|assistant|end)\|>/);
  // Weighting one genre up moves the mix; the default weights are the default corpus.
  expect(buildCorpus(3, 50_000, { ...GENRE_WEIGHTS })).toEqual(buildCorpus(3, 50_000));
  const share = (docs: string[]) => docs.filter((d) => /^(Worked examples|Poetry worksheet|Haiku practice)/.test(d)).length / docs.length;
  expect(share(buildCorpus(3, 100_000))).toBe(0);
  expect(share(buildCorpus(3, 100_000, parseGenres('poemExercise=6, exercise=2')))).toBeGreaterThan(0.15);
  expect(parseGenres('anthology=0').anthology).toBe(0);
  expect(() => parseGenres('poem=2')).toThrow(/unknown genre "poem".*poemExercise/);
  expect(() => parseGenres('story=-1')).toThrow(/weight from 0 to 1000/);
  expect(() => parseGenres('story')).toThrow(/as in story=2/);
  expect(() => parseGenres(Object.keys(GENRE_WEIGHTS).map((g) => `${g}=0`).join(','))).toThrow(/at least one genre/);
});

test('made-up words cannot be learnt by heart: almost never repeated across draws, never dictionary words, and poems about them keep 5-7-5', () => {
  const rng = new Rng(11);
  const words = Array.from({ length: 3000 }, () => nonceWord(rng));
  expect(new Set(words).size / words.length).toBeGreaterThan(0.95);
  const real = lexicon as Record<string, number>;
  for (const w of words) expect(Object.hasOwn(real, w) || !/^[a-z]{3,}$/.test(w), w).toBe(false);
  expect(words.filter((w) => lineSyllables(w) === 3).length).toBeGreaterThan(500); // one to three syllables, as counted
  const only = { ...Object.fromEntries(Object.keys(GENRE_WEIGHTS).map((g) => [g, 0])), nonce: 1 } as typeof GENRE_WEIGHTS;
  const pages = buildCorpus(6, 30_000, only);
  let poems = 0;
  for (const page of pages) {
    const lines = page.split('\n');
    lines.forEach((line, i) => {
      if (!/^(Answer:|Model answer:|Example:|A poem about the )/.test(line)) return;
      const poem = lines.slice(i + 1, i + 4);
      poems++;
      expect(poem.map(lineSyllables), poem.join(' / ')).toEqual([5, 7, 5]);
      const noun = poem[0].split(/[ ,]/)[0];
      expect(lines.slice(0, i).join('\n').toLowerCase(), poem[0]).toContain(noun); // the poem's word was written before it: copyable
    });
  }
  expect(poems).toBeGreaterThan(20);
});

test('renderChat masks exactly the assistant tokens and its end token', () => {
  const { ids, mask } = renderChat(tok, [
    { role: 'user', content: 'Hi <|end|>' },
    { role: 'assistant', content: 'Yo' },
  ]);
  expect(tok.decode(ids)).toBe('<|doc|><|user|>Hi <|end|><|end|><|assistant|>Yo<|end|>');
  // The user's literal "<|end|>" is plain characters, not the special token.
  expect(ids.filter((i) => i === tok.special('<|end|>'))).toHaveLength(2);
  const trained = ids.filter((_, i) => mask[i] === 1);
  expect(tok.decode(trained)).toBe('Yo<|end|>');
  expect(mask.length).toBe(ids.length);
  const p = renderPrompt(tok, 'Hi');
  expect(tok.decode(p)).toBe('<|doc|><|user|>Hi<|end|><|assistant|>');
});

test('renderChat takes a 300,000-character answer without overflowing the stack', () => {
  const long = 'ab '.repeat(100_000);
  const { ids, mask } = renderChat(tok, [{ role: 'user', content: 'q' }, { role: 'assistant', content: long }]);
  expect(ids.length).toBe(long.length + 6);
  expect(mask.filter((m) => m === 1).length).toBe(long.length + 1);
});

test('JSONL: text fields over the cap are refused with the line number and the length', () => {
  const huge = 'x'.repeat(MAX_TEXT_CHARS + 1);
  const ok = JSON.stringify({ prompt: 'p', response: 'x'.repeat(MAX_TEXT_CHARS) });
  expect(parseJsonl(ok, checkPair)).toHaveLength(1);
  const cases: [(v: unknown) => string | null, object][] = [
    [checkPair, { prompt: 'p', response: huge }],
    [checkResponse, { prompt: huge, response: 'r' }],
    [checkPreference, { prompt: 'p', chosen: huge, rejected: 'r' }],
    [checkInput, { prompt: huge, instruction_id_list: [], kwargs: [] }],
    [checkInput, { prompt: 'p', instruction_id_list: ['keywords:existence'], kwargs: [{ keywords: [huge] }] }],
  ];
  for (const [check, line] of cases) {
    expect(() => parseJsonl(`\n${JSON.stringify(line)}`, check, 'pairs.jsonl line')).toThrow(/^pairs.jsonl line 2: "\w+" .*100,00[01]/);
  }
});

test('JSONL: a bad line is reported by number and nothing is returned', () => {
  const good = '{"prompt": "a", "response": "b"}';
  expect(parseJsonl(`${good}\n\n${good}\n`, checkResponse)).toHaveLength(2);
  expect(() => parseJsonl(`${good}\n{"prompt": 1}\n`, checkResponse)).toThrow(/^line 2: "prompt" must be a string/);
  expect(() => parseJsonl(`${good}\n${good}\n{oops\n`, checkResponse)).toThrow(/^line 3: not valid JSON/);
  expect(() => parseJsonl('{"prompt": "x", "instruction_id_list": ["a"], "kwargs": []}', checkInput)).toThrow(/line 1: "kwargs"/);
});

test('failure labels describe what a base model did', () => {
  const p = 'Write a haiku about autumn.';
  expect(labelResponse(p, '', 'autumn', false)).toBe('empty');
  expect(labelResponse(p, 'leaves fall', 'autumn', true)).toBe('answered');
  expect(labelResponse(p, 'Write a haiku about autumn. It is nice.', 'autumn', false)).toBe('restated_prompt');
  expect(labelResponse(p, '2. Write a haiku about the moon.\n3. Describe the sea.', 'autumn', false)).toBe('more_instructions');
  expect(labelResponse(p, 'The maple leaves are red in the harvest.', 'autumn', false)).toBe('answered');
  expect(labelResponse(p, 'The dog barked at the bus.', 'autumn', false)).toBe('drifted');
});

test('the form shift: three short lines that answer are a poem; a worksheet\'s three lines are not', () => {
  const p = 'Write a haiku about autumn.';
  expect(hasPoemForm(p, 'autumn at the gate\nthe maple leaves drift and fall\nthe harvest is in')).toBe(true);
  expect(hasPoemForm(p, 'autumn at the gate\nthe maple leaves drift and fall')).toBe(false);
  // The shipped base's own answer in the chat format (bench:shift read it as a poem at step 0).
  expect(hasPoemForm(p, 'Timer.\n\nMotimeer iee a a rexach: in wite anger a hair about concloser.\n2. Sum up lavender using just')).toBe(false);
  expect(hasPoemForm(p, 'Timer.\nA cold wind.\n2. Sum up lavender')).toBe(false);
  expect(hasPoemForm(p, '1. Write a haiku about the moon.\n2. Describe the sea.\n3. List two fruits.')).toBe(false);
});

test("counting's check takes a reference first line about a made-up word, and refuses a miscount or a miscopy", () => {
  const rng = new Rng(13);
  for (let i = 0; i < 300; i++) {
    const w = nonceWord(rng);
    const [first] = makeHaiku(w, [w], rng).split('\n');
    expect(countedFirstLine(first, w), first).toBe(true);
    expect(countedFirstLine(`${first} now`, w)).toBe(false); // six syllables
    expect(countedFirstLine(`x${first}`, w)).toBe(false); // the word not copied as written
  }
  expect(countingPrompt('blorp')).toBe('Our haiku wall\n\nBlorp\n');
});

test('glossary pages pair each topic with its own related words, in three forms, and the default corpus has none', () => {
  const only = { ...Object.fromEntries(Object.keys(GENRE_WEIGHTS).map((g) => [g, 0])), glossary: 1 } as typeof GENRE_WEIGHTS;
  const entries = buildCorpus(8, 30_000, only).flatMap((page) => page.split('\n').slice(2));
  expect(entries.length).toBeGreaterThan(300);
  const forms = new Set<number>();
  for (const entry of entries) {
    const m = [/^([a-z ]+): ([a-z, ]+)$/, /^With the ([a-z ]+) come ([a-z, ]+)\.$/, /^([A-Za-z ]+) - think of ([a-z, ]+)\.$/].map((re) => re.exec(entry));
    const i = m.findIndex(Boolean);
    expect(i, entry).toBeGreaterThanOrEqual(0);
    forms.add(i);
    const [, name, list] = m[i]!;
    const words = list.split(/, | and /);
    expect(words.length).toBeGreaterThanOrEqual(3);
    for (const w of words) expect(findTopic(name.toLowerCase())!.words, entry).toContain(w);
  }
  expect(forms.size).toBe(3);
  expect(new Set(entries.map((e) => e.split(/:| - | come /)[0])).size).toBeGreaterThan(150); // every topic, held-out ones too
  expect(buildCorpus(3, 30_000).some((page) => /^(Words that go together|A word list for poets)/.test(page))).toBe(false);
});

test('topic poem worksheets answer requests about every topic with a haiku that brings its related words; the default corpus has none', () => {
  const only = { ...Object.fromEntries(Object.keys(GENRE_WEIGHTS).map((g) => [g, 0])), topicPoems: 1 } as typeof GENRE_WEIGHTS;
  const pages = buildCorpus(9, 30_000, only);
  const topics = new Set<string>();
  let poems = 0;
  for (const page of pages) {
    for (const item of page.split('\n\n').slice(1)) {
      const [request, label, ...poem] = item.split('\n');
      expect(label, item).toMatch(/^(Answer|Model answer|Example):$/);
      expect(poem, item).toHaveLength(3);
      const topic = TOPICS.filter((t) => poem[0].toLowerCase().startsWith(`${t.name} `) && request.toLowerCase().includes(t.name)).sort((a, b) => b.name.length - a.name.length)[0];
      expect(topic, item).toBeDefined();
      topics.add(topic!.name);
      // Two of the topic's own words beyond its name: knowledge in the form a haiku uses it.
      const related = topic!.words.filter((w) => w !== topic!.name);
      if (related.filter((w) => lineSyllables(w) <= 3).length >= 2) expect(mentions(poem.slice(1).join('\n'), related), item).toBe(true);
      poems++;
    }
  }
  expect(poems).toBeGreaterThan(100);
  expect(topics.size).toBeGreaterThan(120); // held-out topics too
  expect(topics.has('autumn') || topics.has('fog')).toBe(true);
  expect(buildCorpus(3, 30_000).some((page) => /^(Worked examples: haiku|Haiku practice)/.test(page) && /\nautumn /.test(page))).toBe(false);
});
