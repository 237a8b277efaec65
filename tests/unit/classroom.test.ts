/**
 * The classroom page's pure parts: the checks' verdict in plain words (the
 * first screen's ✓/✗ and reasons), the refusal of binary files as a corpus,
 * and an emptied number field's message.
 */
import { describe, expect, test } from 'vitest';
import { readText } from '../../src/data/textFile.ts';
import { HEADLINE } from '../../src/eval/probes.ts';
import { verdictFor } from '../../src/eval/verdict.ts';
import { checkRange } from '../../workers/validate.ts';

describe('verdictFor', () => {
  test('a base model that writes more instructions fails, said in words, with the check\'s reason', () => {
    const v = verdictFor(HEADLINE, 'Write a haiku about winter.\n2. Describe the sea in three bullets.');
    expect(v.pass).toBe(false);
    expect(v.label).toBe('more_instructions');
    expect(v.words).toBe('✗ continued the document with more instructions; 2 lines (a haiku has 3)');
  });

  test('a haiku of 5-7-5 about autumn passes with the check\'s own words', () => {
    const v = verdictFor(HEADLINE, 'autumn leaves drift down\nthe quiet river carries\nred and gold away');
    expect(v.pass).toBe(true);
    expect(v.words).toBe('✓ 3 lines, 5-7-5, about autumn');
  });

  test('an answer on topic that misses the form gives only the reason', () => {
    expect(verdictFor(HEADLINE, 'autumn leaves are falling\nred and gold upon the ground\nthe wind carries them').words).toBe('✗ syllables 6-7-5 (5-7-5 wanted)');
    expect(verdictFor(HEADLINE, '').words).toMatch(/^✗ wrote nothing; /);
  });
});

describe('readText', () => {
  test('text comes back as it is', () => {
    expect(readText('a.txt', new TextEncoder().encode('Autumn.\tLeaves\r\nfall ✓'))).toBe('Autumn.\tLeaves\r\nfall ✓');
  });

  test('a PNG is refused naming the file', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(() => readText('leaf.png', png)).toThrow('leaf.png is not a text file');
  });

  test('valid UTF-8 with NUL bytes or many control characters is refused', () => {
    expect(() => readText('a.bin', new TextEncoder().encode('abc\0def'))).toThrow('holds binary data');
    expect(() => readText('b.bin', new TextEncoder().encode('ab\x01\x02\x03cd'.repeat(20)))).toThrow(/b\.bin is not a text file \(60 control characters\)/);
  });
});

test('an emptied number field is named, not "(got null)"', () => {
  expect(() => checkRange('Steps', null, 1, 100, true)).toThrow('Steps is empty: type a whole number between 1 and 100.');
  expect(() => checkRange('Learning rate', undefined, 0.001, 0.1)).toThrow('Learning rate is empty: type a number between 0.001 and 0.1.');
});

describe('a lesson link in the hash', () => {
  test('lesson step, shipped model and lock are read; bad values are ignored', async () => {
    const { parseHash, formatHash } = await import('../../src/app/hash.ts');
    expect(parseHash('#lesson=2&model=sft-early&locked=1&sftIters=40&seed=7')).toEqual({ lesson: 2, model: 'sft-early', locked: 1, sftIters: 40, seed: 7 });
    expect(parseHash('#lesson=0&model=../evil&locked=2')).toEqual({});
    expect(parseHash(formatHash({ lesson: 3, model: 'sft' }))).toEqual({ lesson: 3, model: 'sft' });
  });

  test('every lesson step opens a tab and says what to notice; the measuring step has the glossary of the checks\' words', async () => {
    const { GLOSSARY, LESSON } = await import('../../src/app/lesson.ts');
    expect(LESSON.map((s) => s.tab)).toEqual(['gap', 'tune', 'compare', 'prefer', 'compare']);
    expect(LESSON.filter((s) => s.glossary).map((s) => s.title)).toEqual(['Measure it with the held-out checks']);
    expect(GLOSSARY.map(([term]) => term)).toEqual(['Held-out', 'Prompt level', 'Instruction level', 'Strict', 'Loose', 'Vacuous pass']);
  });
});
