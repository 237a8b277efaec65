/**
 * The evaluation suites are frozen files (src/eval/suites/*.json). A change to
 * a generator that would move them must fail here, so figures quoted on the
 * suites only change when someone runs `npm run suites` on purpose.
 */
import { describe, expect, it } from 'vitest';
import { SUITE_NAMES, generateSuite, suiteByName } from '../../src/eval/suite.ts';
import { HEADLINE, probeSet } from '../../src/eval/probes.ts';
import { taskById } from '../../src/tasks/index.ts';
import { topicsFor } from '../../src/data/topics.ts';
import { makeSftPairs } from '../../src/datasets/pairs.ts';
import haikuSubjects from '../../src/data/haikuSubjects.json';
import longSubjects from '../../src/data/longSubjects.json';

describe('frozen evaluation suites', () => {
  for (const name of SUITE_NAMES) {
    it(`${name}: the generators still make exactly the frozen prompts`, () => {
      expect(generateSuite(name)).toEqual(suiteByName(name));
    });
  }

  it('every frozen prompt names instructions Heed can check, with their arguments', () => {
    for (const name of SUITE_NAMES) {
      for (const e of suiteByName(name)) {
        expect(e.instruction_id_list.length).toBe(e.kwargs.length);
        for (const id of e.instruction_id_list) expect(taskById(id), `${name} #${e.key}: ${id}`).toBeDefined();
      }
    }
  });

  it('hands out copies: a caller editing its suite does not edit the frozen one', () => {
    const a = suiteByName('haiku-heldout');
    a[0].prompt = 'changed';
    a.pop();
    expect(suiteByName('haiku-heldout')[0].prompt).not.toBe('changed');
    expect(suiteByName('haiku-heldout')).toHaveLength(40);
  });

  it('the probes come from the frozen held-out suite, headline first', () => {
    const probes = probeSet();
    expect(probes[0]).toEqual(HEADLINE);
    const prompts = new Set(suiteByName('heldout').map((e) => e.prompt));
    for (const p of probes.slice(1)) expect(prompts.has(p.prompt)).toBe(true);
  });
});

describe('hand-written haiku requests (the validation set for requests as people write them)', () => {
  const requests = suiteByName('haiku-requests');

  it('are 40 haiku requests in distinct words, each about a topic the checker knows', () => {
    expect(requests).toHaveLength(40);
    expect(new Set(requests.map((e) => e.prompt)).size).toBe(40);
    for (const e of requests) {
      expect(e.instruction_id_list).toEqual(['heed:haiku']);
      expect(e.kwargs).toEqual([{ topic: e.topic }]);
    }
  });

  it('are never trained on: no topic of theirs is an SFT topic or subject, and no SFT prompt is one of them', () => {
    const trainable = new Set([...topicsFor('train').map((t) => t.name), ...(haikuSubjects as string[]), ...(longSubjects as string[])]);
    for (const e of requests) expect(trainable.has(e.topic), e.topic).toBe(false);
    const prompts = new Set(requests.map((e) => e.prompt));
    expect(makeSftPairs(1, 3000).filter((p) => prompts.has(p.prompt))).toEqual([]);
  });
});
