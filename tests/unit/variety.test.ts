/** What the checks cannot see: repeated lines and templated haiku (src/eval/variety.ts). */
import { expect, test } from 'vitest';
import { describeVariety, haikuDiversity, repeatsALine, variety } from '../../src/eval/variety.ts';
import { findTopic } from '../../src/data/topics.ts';

const haiku = (topic: string, response: string) => ({ topic, response, instruction_id_list: ['heed:haiku'] });

test('haiku diversity counts distinct lines per position, the most repeated one, and related words beyond the topic', () => {
  const answers = [
    haiku('autumn', 'autumn at noon\nmaple leaves fall on the road\nand then it is gone'),
    haiku('owl', 'owl in the garden\nthe bus goes by the corner\nand then it is gone'),
    haiku('fog', 'fog by the window\nthe bus goes by the corner\nAnd then it is gone'),
    haiku('teapot', 'teapot on the shelf\nsteam rises over the stove\nthe kitchen is warm'), // a subject: no related words
  ];
  const d = haikuDiversity(answers)!;
  expect(d.answers).toBe(4);
  expect(d.distinctSecond).toBe(3);
  expect(d.distinctThird).toBe(2); // case does not make a line new
  expect(d.mostRepeated).toEqual({ line: 'and then it is gone', count: 3 });
  expect(d.relatedWordShare).toBeCloseTo(1 / 3); // "maple" for autumn; owl and fog name only themselves
  expect(haikuDiversity([{ topic: 'owl', response: 'x', instruction_id_list: ['heed:haiku', 'punctuation:no_comma'] }])).toBeNull();
});

test('repeated-line share: answers of more than one line that repeat a line word for word', () => {
  expect(repeatsALine('* The desert and its sun\n* The desert and its sun\n* Dunes')).toBe(true);
  expect(repeatsALine('a\nb\nc')).toBe(false);
  const v = variety([
    { topic: 'desert', response: '* The desert and its sun\n* Dunes\n* The desert and its sun', instruction_id_list: ['detectable_format:number_bullet_lists'] },
    { topic: 'desert', response: 'One line only.', instruction_id_list: ['heed:one_word'] },
    { topic: 'desert', response: 'Sand.\nHeat.', instruction_id_list: ['heed:number_lines'] },
  ]);
  expect(v.multiLineAnswers).toBe(2);
  expect(v.repeatedLineShare).toBe(0.5);
  expect(v.haikuDiversity).toBeNull();
  expect(describeVariety(v)).toBe('repeated lines in 50 % of 2 multi-line answers');
});

test('SFT lists and lines answers with varied lines: each line takes another related word, none repeats', async () => {
  const { makeSftExamples } = await import('../../src/datasets/pairs.ts');
  const lists = (varied: boolean) => makeSftExamples(5, 3000, { subjectShare: 0, variedLines: varied })
    .filter((e) => e.instruction_id_list.some((id) => id === 'heed:number_lines' || id === 'detectable_format:number_bullet_lists'));
  const wordsUsed = (e: { response: string; topic: string }) => {
    const words = findTopic(e.topic)!.words;
    return e.response.split('\n').map((l) => words.find((w) => new RegExp(`\\b${w}\\b`, 'i').test(l.replace(new RegExp(`\\b${e.topic}\\b`, 'gi'), ''))));
  };
  const spread = (examples: ReturnType<typeof lists>) => {
    let distinct = 0;
    let lines = 0;
    for (const e of examples) {
      const used = wordsUsed(e);
      lines += used.length;
      distinct += new Set(used).size;
    }
    return distinct / lines;
  };
  const varied = lists(true);
  expect(varied.length).toBeGreaterThan(300);
  expect(varied.every((e) => !repeatsALine(e.response))).toBe(true);
  expect(spread(varied)).toBeGreaterThan(spread(lists(false)) + 0.1); // lines move through the related words
});

test('SFT lists and lines answers never open two lines alike: no line takes the shape of a line before it', async () => {
  // A model that does not know a held-out topic's words repeats its likeliest line word for word unless
  // the data shows, in every answer, that the next line takes another shape.
  const { makeSftExamples } = await import('../../src/datasets/pairs.ts');
  const answers = makeSftExamples(7, 2000, { subjectShare: 0, variedLines: true })
    .filter((e) => e.instruction_id_list.length === 1 && ['heed:number_lines', 'detectable_format:number_bullet_lists'].includes(e.instruction_id_list[0]));
  const opening = (line: string, e: { topic: string }) => {
    const words = findTopic(e.topic)!.words;
    const masked = line.toLowerCase().replace(/^\* /, '').split(/[ ,.]+/).map((w) => (w === e.topic ? 'T' : words.includes(w) ? 'W' : w));
    return masked.slice(0, 2).join(' ');
  };
  const openingsOf = answers.map((e) => e.response.split('\n').map((l) => opening(l, e)));
  const alike = openingsOf.filter((openings) => new Set(openings).size < openings.length);
  expect(answers.length).toBeGreaterThan(200);
  expect(alike.length / answers.length).toBeLessThan(0.03); // drawn freely, one answer in five opened two lines alike
  // ...and which shape comes next follows from the line before, so a small model can learn it: the
  // commonest next opening after each opening covers most lines (shuffled shapes: two in five).
  const next = new Map<string, Map<string, number>>();
  for (const openings of openingsOf) {
    for (let i = 1; i < openings.length; i++) {
      const after = next.get(openings[i - 1]) ?? new Map<string, number>();
      const word = openings[i].split(' ')[0];
      after.set(word, (after.get(word) ?? 0) + 1);
      next.set(openings[i - 1], after);
    }
  }
  const counts = [...next.values()].map((after) => [...after.values()]);
  const followed = counts.reduce((sum, c) => sum + Math.max(...c), 0) / counts.reduce((sum, c) => sum + c.reduce((a, b) => a + b, 0), 0);
  expect(followed).toBeGreaterThan(0.8);
});
