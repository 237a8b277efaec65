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
