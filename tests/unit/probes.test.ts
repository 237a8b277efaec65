/** The probe's haiku check taken apart, and where each part first passed (the page's milestones). */
import { expect, test } from 'vitest';
import { ALL_PARTS, HEADLINE, checkProbe, firstPasses } from '../../src/eval/probes.ts';
import { haikuChecklist } from '../../src/tasks/haiku.ts';

test('the haiku checklist judges form, count and subject each on its own', () => {
  const passes = (text: string) => haikuChecklist(text, 'autumn').map((c) => c.pass);
  expect(passes('Write a haiku about winter.\n2. List three fruits.')).toEqual([false, false, false]);
  expect(passes('moss in the garden\nthe bus goes by the corner\nand then it is gone')).toEqual([true, true, false]);
  expect(passes('autumn\nthe bus goes by\nand then')).toEqual([true, false, true]);
  expect(passes('autumn leaves at dusk\nthe maple drifts on the road\nand the day goes on')).toEqual([true, true, true]);
  expect(haikuChecklist('x', 'autumn').map((c) => c.label)).toEqual(['three lines', '5, 7 and 5 syllables', 'about autumn']);
});

test('a haiku probe carries its checklist, and the checklist agrees with the whole check', () => {
  for (const text of ['autumn leaves at dusk\nthe maple drifts on the road\nand the day goes on', 'moss in the garden\nthe bus goes by the corner\nand then it is gone']) {
    const out = checkProbe(HEADLINE, text);
    expect(out.checklist!.every((c) => c.pass)).toBe(out.pass);
  }
});

test('first passes: the step where each part of the check first passed, null while it has not', () => {
  const round = (step: number, text: string) => ({ step, outputs: [checkProbe(HEADLINE, text)] });
  const rounds = [
    round(0, 'Write a haiku about winter.\n2. List three fruits.'),
    round(25, 'moss in the garden\nthe bus goes by\nand then it is gone'),
    round(50, 'moss in the garden\nthe bus goes by the corner\nand then it is gone'),
    round(75, 'moss in the garden\nthe bus goes\nit is gone'), // a later slip does not move a first pass
  ];
  expect(firstPasses(rounds)).toEqual([
    { label: 'three lines', step: 25 }, { label: '5, 7 and 5 syllables', step: 50 }, { label: 'about autumn', step: null }, { label: ALL_PARTS, step: null },
  ]);
  // Each part passing in some round is not the flip: the whole check passes only when one answer has all three.
  const parts = [...rounds, round(100, 'autumn\nthe bus goes by\nand then'), round(125, 'autumn leaves at dusk\nthe maple drifts on the road\nand the day goes on')];
  expect(firstPasses(parts.slice(0, 5)).map((m) => m.step)).toEqual([25, 50, 100, null]);
  expect(firstPasses(parts).map((m) => m.step)).toEqual([25, 50, 100, 125]);
  expect(firstPasses([])).toEqual([]);
});
