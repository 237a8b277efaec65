import { expect, test } from 'vitest';
import { CharTokenizer, normaliseText } from '../../src/engine/tokenizer.ts';

const tok = CharTokenizer.fromText('hello world.\nWrite a haiku!');

test('round-trips text and reports its size', () => {
  const s = 'a haiku\nworld!';
  expect(tok.decode(tok.encode(s))).toBe(s);
  expect(tok.vocabSize).toBe(tok.specials.length + new Set('hello world.\nWrite a haiku!').size);
});

test('special tokens only when allowed: pasted text cannot inject them', () => {
  const asText = tok.encode('<|user|>hi');
  expect(asText).toHaveLength('<|user|>hi'.length);
  expect(asText.every((id) => !tok.isSpecial(id) || id === tok.special('<|unk|>'))).toBe(true);
  const withSpecial = tok.encode('<|user|>hi<|end|>', { allowSpecial: true });
  expect(withSpecial[0]).toBe(tok.special('<|user|>'));
  expect(withSpecial.at(-1)).toBe(tok.special('<|end|>'));
  expect(tok.decode(withSpecial)).toBe('<|user|>hi<|end|>');
  expect(tok.decode(withSpecial, { skipSpecial: true })).toBe('hi');
});

test('unknown characters become <|unk|>; typographic quotes are normalised first', () => {
  const ids = tok.encode('hé');
  expect(ids[1]).toBe(tok.special('<|unk|>'));
  expect(normaliseText('\u201chi\u201d \u2014 it\u2019s')).toBe('"hi" - it\'s');
});

test('serialises to JSON and back; bad JSON gets a clear error', () => {
  const again = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
  expect(again.encode('hello')).toEqual(tok.encode('hello'));
  expect(() => CharTokenizer.fromJSON({ type: 'bpe' })).toThrow(/expected/);
  expect(() => CharTokenizer.fromJSON({ ...tok.toJSON(), chars: ['a', 'a'] })).toThrow(/duplicate/);
  expect(() => tok.decode([9999])).toThrow(/outside the vocabulary/);
});

test('a tokenizer from a file must keep the special tokens first, in order, distinct and longer than a character', () => {
  const chars = ['a', 'b'];
  const specials = ['<|pad|>', '<|unk|>', '<|doc|>', '<|user|>', '<|assistant|>', '<|end|>'];
  expect(CharTokenizer.fromJSON({ type: 'char', specials: [...specials, '<|tool|>'], chars }).vocabSize).toBe(9);
  const bad: [string[], RegExp][] = [
    [[specials[1], specials[0], ...specials.slice(2)], /special token 0 is "<\|unk\|>", expected <\|pad\|>/],
    [specials.slice(0, 5), /special token 5 is undefined, expected <\|end\|>/],
    [[...specials, ''], /special token "" must be longer than one character/],
    [[...specials, 'a'], /special token "a" must be longer than one character/],
    [[...specials, '<|end|>'], /duplicate special tokens/],
  ];
  for (const [list, message] of bad) expect(() => CharTokenizer.fromJSON({ type: 'char', specials: list, chars })).toThrow(message);
});

test('characters outside the vocabulary are counted', () => {
  const tok = CharTokenizer.ascii();
  expect(tok.unknownCount('caf\u00e9 \u2014 na\u00efve \u{1F600}')).toBe(3); // the dash normalises to "-"
  expect(tok.unknownCount('plain text')).toBe(0);
});
