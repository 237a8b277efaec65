/** Haiku requests as people write them, in SFT data (src/data/requests.ts, SftMix.peopleShare). */
import { expect, test } from 'vitest';
import { peopleRequest } from '../../src/data/requests.ts';
import { makeSftExamples } from '../../src/datasets/pairs.ts';
import { Rng } from '../../src/engine/rng.ts';
import { verifyStrict } from '../../src/tasks/registry.ts';
import { haiku } from '../../src/tasks/haiku.ts';
import type { Example } from '../../src/tasks/index.ts';

test('every request names its subject, intact, in many different shapes', () => {
  const rng = new Rng(2);
  const nouns = ['owl', 'umbrella', 'box', 'teacup', 'ink'];
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const noun = nouns[i % nouns.length];
    const text = peopleRequest(noun, rng);
    expect(text.toLowerCase(), text).toMatch(new RegExp(`\\b${noun}`));
    seen.add(text.replace(new RegExp(noun, 'g'), 'N'));
  }
  expect(seen.size).toBeGreaterThan(300); // templates x articles x context x typos
});

test("a share of subject haiku are asked in people's words; their answers still pass the haiku check", () => {
  const escape = (t: string) => t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[Tt]opic\}/g, '.+');
  const taskPhrasings = haiku.phrasings.train.map((t) => new RegExp(escape(t)));
  const fresh = (examples: Example[]) => {
    const single = examples.filter((e) => e.instruction_id_list.length === 1);
    return single.filter((e) => !taskPhrasings.some((r) => r.test(e.prompt))).length / single.length;
  };
  expect(fresh(makeSftExamples(8, 1500, { subjectShare: 1, haikuShare: 1 }))).toBe(0);
  const people = makeSftExamples(8, 1500, { subjectShare: 1, haikuShare: 1, peopleShare: 0.5 });
  expect(fresh(people)).toBeGreaterThan(0.4);
  for (const e of people) e.instruction_id_list.forEach((id, i) => expect(verifyStrict(id, e.response, e.kwargs[i], e.prompt).pass, e.prompt).toBe(true));
});

test('some requests put the subject first and the request after it, so "the word after the dash" is no rule', () => {
  const rng = new Rng(4);
  const nouns = ['owl', 'umbrella', 'teacup'];
  let first = 0;
  let afterDash = 0;
  for (let i = 0; i < 3000; i++) {
    const noun = nouns[i % nouns.length];
    const text = peopleRequest(noun, rng).toLowerCase();
    if (new RegExp(`^(the |an? )?${noun}s?\\b`).test(text)) first++;
    if (/ - \w/.test(text)) afterDash += new RegExp(` - (the |an? )?${noun}`).test(text) ? 1 : -1;
  }
  expect(first / 3000).toBeGreaterThan(0.1);
  expect(afterDash).toBeLessThan(0); // after a dash comes the request more often than the subject
});
