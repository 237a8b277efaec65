/**
 * The instruction tasks as data makers: references pass their own checks,
 * near misses fail them, held-out topics and phrasings never reach SFT data.
 */
import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { SUBJECT_HAIKU, SUBJECT_SHARE, makePreferencePair, makePreferencePairs, makeSftExamples, makeSftPairs } from '../../src/datasets/pairs.ts';
import { HELD_OUT_TOPICS, TOPICS, findTopic, topicsFor } from '../../src/data/topics.ts';
import { Rng } from '../../src/engine/rng.ts';
import { ALL_TASKS, CONSTRAINT_TASKS, CONTENT_TASKS, makeExample } from '../../src/tasks/index.ts';
import { freeHaiku, haiku as haikuTask, makeHaiku, verifyHaiku } from '../../src/tasks/haiku.ts';
import subjects from '../../src/data/haikuSubjects.json';
import longSubjects from '../../src/data/longSubjects.json';
import validSubjects from '../../src/data/validSubjects.json';
import lexicon from '../../src/data/lexicon.json';
import { suiteByName } from '../../src/eval/suite.ts';

const SUBJECTS = subjects as string[];
const LONG = longSubjects as string[];
const VALID = validSubjects as string[];
import { capitals, lowercase } from '../../src/tasks/caseTasks.ts';
import { verifyStrict } from '../../src/tasks/registry.ts';
import { lineSyllables } from '../../src/data/syllables.ts';

test('at least 150 topics, at least 30 held out, every category split', () => {
  expect(TOPICS.length).toBeGreaterThanOrEqual(150);
  expect(new Set(TOPICS.map((t) => t.name)).size).toBe(TOPICS.length);
  expect(topicsFor('heldout').length).toBeGreaterThanOrEqual(30);
  expect([...HELD_OUT_TOPICS].every((n) => findTopic(n))).toBe(true);
  expect(findTopic('autumn')).toBeDefined();
  expect(HELD_OUT_TOPICS.has('autumn')).toBe(true);
});

test('every task has train and held-out phrasings, disjoint', () => {
  for (const t of ALL_TASKS) {
    expect(t.phrasings.train.length, t.id).toBeGreaterThan(0);
    expect(t.phrasings.heldout.length, t.id).toBeGreaterThan(0);
    expect(t.phrasings.heldout.filter((p) => t.phrasings.train.includes(p)), t.id).toEqual([]);
  }
});

describe.each(['train', 'heldout'] as const)('examples from the %s split', (split) => {
  test('every reference answer passes every one of its checks (1500 seeds)', () => {
    for (let seed = 0; seed < 1500; seed++) {
      const e = makeExample(new Rng(seed), split);
      e.instruction_id_list.forEach((id, i) => {
        const v = verifyStrict(id, e.response, e.kwargs[i], e.prompt);
        expect(v.pass, `seed ${seed} ${id}: ${v.reason}\n${e.prompt}\n${e.response}`).toBe(true);
      });
    }
  });
});

test('every near miss fails the instruction it misses', () => {
  const rng = new Rng(3);
  let checked = 0;
  for (const content of CONTENT_TASKS) {
    // Each constraint alone, and with a case change (which must not hide the miss).
    const combos = CONSTRAINT_TASKS.flatMap((c) => [[c], [c, lowercase], [c, capitals]]);
    for (const cs of [[], ...combos]) {
      const all = [content, ...cs];
      if (new Set(all).size !== all.length || all.some((a) => all.some((b) => a.conflicts.includes(b.id)))) continue;
      for (let k = 0; k < 3; k++) {
        const e = makeExample(rng, 'train', { content, constraints: cs });
        e.instruction_id_list.forEach((id, i) => {
          const task = ALL_TASKS.find((t) => t.id === id)!;
          const topic = findTopic(e.topic)!;
          const miss = task.nearMiss(e.response, e.kwargs[i], { topic: topic.name, words: topic.words, rng, split: 'train' });
          expect(verifyStrict(id, miss, e.kwargs[i], e.prompt).pass, `${id} near miss passed:\n${miss}`).toBe(false);
          checked++;
        });
      }
    }
  }
  expect(checked).toBeGreaterThan(200);
});

test('SFT data never contains a held-out topic or a held-out phrasing', () => {
  const examples = makeSftExamples(1, 3000);
  expect(examples).toHaveLength(3000);
  const heldoutPhrasings = ALL_TASKS.flatMap((t) => t.phrasings.heldout);
  // The fixed words of each held-out template (before its first placeholder) must never appear.
  const fragments = heldoutPhrasings.map((p) => p.split(/\{\w+\}/).sort((a, b) => b.length - a.length)[0].trim()).filter((f) => f.length > 6);
  for (const e of examples) {
    expect(HELD_OUT_TOPICS.has(e.topic), e.topic).toBe(false);
    for (const f of fragments) expect(e.prompt.includes(f), `"${f}" in: ${e.prompt}`).toBe(false);
  }
  const types = new Set(examples.flatMap((e) => e.instruction_id_list));
  expect(types.size).toBe(ALL_TASKS.length - 1); // every type but plain prose, which has no check
  expect(examples.some((e) => e.instruction_id_list.length === 2)).toBe(true);
});

test('SFT data: the subject share is about common nouns, mostly haiku, the rest any instruction naming its noun', () => {
  const examples = makeSftExamples(3, 2000);
  const nouns = new Set(SUBJECTS);
  const about = examples.filter((e) => nouns.has(e.topic) && !findTopic(e.topic));
  expect(about.length / examples.length).toBeGreaterThan(SUBJECT_SHARE - 0.05);
  expect(about.length / examples.length).toBeLessThan(SUBJECT_SHARE + 0.05);
  // SUBJECT_HAIKU of them ask for a haiku, and some of the others draw haiku as their content too.
  const haiku = about.filter((e) => e.instruction_id_list[0] === 'heed:haiku');
  expect(haiku.length / about.length).toBeGreaterThan(SUBJECT_HAIKU - 0.03);
  expect(haiku.length / about.length).toBeLessThan(SUBJECT_HAIKU + (1 - SUBJECT_HAIKU) * 0.35);
  const others = about.filter((e) => e.instruction_id_list[0] !== 'heed:haiku');
  expect(new Set(others.flatMap((e) => e.instruction_id_list)).size).toBeGreaterThan(8);
  for (const e of about) expect(e.prompt.toLowerCase(), e.prompt).toContain(e.topic);
  expect(makeSftExamples(3, 300, { subjectShare: 0 }).some((e) => !findTopic(e.topic))).toBe(false); // share 0: topics only
});

test('SFT data: syllable balance draws subject haiku by syllables, long nouns included; off, the data is as before', () => {
  const sylOf = (es: ReturnType<typeof makeSftExamples>) => {
    const haiku = es.filter((e) => e.instruction_id_list[0] === 'heed:haiku' && !findTopic(e.topic));
    return [1, 2, 3, 4, 5].map((n) => haiku.filter((e) => lineSyllables(e.topic) === n).length / haiku.length);
  };
  const balanced = sylOf(makeSftExamples(5, 3000, { syllableBalance: 1 }));
  for (const share of balanced) expect(share).toBeGreaterThan(0.15); // a fifth each, give or take
  const plain = sylOf(makeSftExamples(5, 3000));
  expect(plain[4]).toBeLessThan(0.03); // common nouns of five syllables are rare
  expect(makeSftExamples(6, 400, { syllableBalance: 0.5 })).not.toEqual(makeSftExamples(6, 400));
  // Balance 0 must not draw from the generator at all, and the varied haiku take the draws the fixed-bank
  // haiku took, so the shipped sft's stage 1 keeps its prompts and every non-haiku answer: the first 2,000
  // of its pairs (seed 1), hashed before syllable balance and varied haiku existed.
  const sha = (x: unknown) => createHash('sha1').update(JSON.stringify(x)).digest('hex').slice(0, 12);
  const stage1 = makeSftPairs(1, 2000);
  expect(sha(stage1.map((p) => p.prompt))).toBe('550d4bf92214');
  expect(sha(stage1.filter((p) => !/haiku/i.test(p.prompt)))).toBe('c47e7d3b82d5');
});

test('SFT data: subject echo brings the subject back in the third line of that share of subject haiku, which varies the third lines', () => {
  const thirds = (echo?: number) => {
    const haiku = makeSftExamples(7, 3000, { subjectShare: 1, haikuShare: 1, subjectEcho: echo }).filter((e) => e.instruction_id_list.join() === 'heed:haiku');
    const third = haiku.map((e) => e.response.split('\n')[2]);
    const echoed = haiku.filter((e, i) => new RegExp(`\\b${e.topic}\\b`).test(third[i])).length / haiku.length;
    return { echoed, distinct: new Set(third).size / haiku.length };
  };
  const plain = thirds();
  const echoing = thirds(0.8);
  expect(plain.echoed).toBeLessThan(0.35);
  expect(echoing.echoed).toBeGreaterThan(0.65); // a long subject that cannot fit five syllables ends on scenery
  expect(echoing.distinct).toBeGreaterThan(plain.distinct + 0.1);
  expect(thirds(0.3)).toEqual(plain); // the default share is the data as before
});

test('SFT data: topic haiku share asks for haiku about training topics whose references use the related words; off, the data is as before', () => {
  const topicHaiku = (es: ReturnType<typeof makeSftExamples>) =>
    es.filter((e) => findTopic(e.topic) && e.instruction_id_list.length === 1 && e.instruction_id_list[0] === 'heed:haiku');
  const plain = makeSftExamples(4, 2000, { subjectShare: 0.5 });
  const more = makeSftExamples(4, 2000, { subjectShare: 0.5, topicHaikuShare: 0.4 });
  // Off, a haiku about a topic is one content type of several, alone half the time (and some common nouns are topics).
  expect(topicHaiku(more).length).toBeGreaterThan(topicHaiku(plain).length + 0.3 * 1000);
  for (const e of topicHaiku(more)) {
    expect(HELD_OUT_TOPICS.has(e.topic), e.topic).toBe(false);
    expect(verifyHaiku(e.response, e.kwargs[0]).pass).toBe(true);
  }
  // Beyond the topic's own name, the second and third lines carry its related words.
  const related = topicHaiku(more).filter((e) => {
    const words = findTopic(e.topic)!.words.filter((w) => w !== e.topic);
    return e.response.split('\n').slice(1).some((l) => words.some((w) => new RegExp(`\\b${w}\\b`).test(l)));
  });
  expect(related.length / topicHaiku(more).length).toBeGreaterThan(0.9);
  expect(makeSftExamples(6, 400, { topicHaikuShare: 0 })).toEqual(makeSftExamples(6, 400));
});

test('long and validation subjects: counted, and apart from the training nouns and the held-out topics', () => {
  const inLexicon = (w: string) => (lexicon as Record<string, number>)[w] !== undefined;
  for (const w of LONG) {
    expect([4, 5], w).toContain(lineSyllables(w));
    expect(inLexicon(w), w).toBe(true);
  }
  const training = new Set([...SUBJECTS, ...LONG, ...TOPICS.map((t) => t.name)]);
  expect(VALID.length).toBeGreaterThan(150);
  for (const w of VALID) {
    expect(training.has(w), w).toBe(false);
    expect([...HELD_OUT_TOPICS].some((h) => w.includes(h)), w).toBe(false);
    expect(inLexicon(w), w).toBe(true);
  }
  const suite = suiteByName('haiku-valid');
  expect(suite.map((e) => e.topic)).toEqual(VALID);
  // Prompts in held-out phrasings, each naming its noun, each checked as a haiku about it.
  const heldout = haikuTask.phrasings.heldout.map((p) => p.split(/\{\w+\}/).sort((a, b) => b.length - a.length)[0].trim());
  for (const e of suite) {
    expect(heldout.some((f) => e.prompt.includes(f)), e.prompt).toBe(true);
    expect(e.prompt.toLowerCase()).toContain(e.topic);
    expect(e.instruction_id_list).toEqual(['heed:haiku']);
  }
});

test('preference pairs: chosen passes every check, rejected misses at least one', () => {
  const rng = new Rng(11);
  for (const e of makeSftExamples(2, 300)) {
    const p = makePreferencePair(e, rng);
    const all = (r: string) => e.instruction_id_list.every((id, i) => verifyStrict(id, r, e.kwargs[i], e.prompt).pass);
    expect(all(p.chosen)).toBe(true);
    expect(all(p.rejected), p.rejected).toBe(false);
  }
});

test('targeted pairs: the share asked for holds a targeted type, and the near miss breaks that type', () => {
  const types = ['detectable_format:number_bullet_lists', 'startend:end_checker'];
  const holds = (ids: string[]) => ids.some((id) => types.includes(id));
  const mixed = makeSftExamples(3, 400, { subjectShare: 0, types, typeShare: 0.5 });
  expect(new Set(mixed.map((e) => e.prompt)).size).toBe(400);
  const share = mixed.filter((e) => holds(e.instruction_id_list)).length / mixed.length;
  expect(share).toBeGreaterThanOrEqual(0.5); // the other half may hold one by chance
  expect(share).toBeLessThan(0.75);
  expect(holds(mixed.slice(0, 40).map((e) => e.instruction_id_list).flat())).toBe(true); // shuffled, not in two blocks
  const examples = makeSftExamples(4, 200, { subjectShare: 0, types });
  expect(examples.every((e) => holds(e.instruction_id_list))).toBe(true);
  const rng = new Rng(5);
  for (const e of examples) {
    const p = makePreferencePair(e, rng, types);
    const broken = e.instruction_id_list.filter((id, i) => !verifyStrict(id, p.rejected, e.kwargs[i], e.prompt).pass);
    expect(broken.some((id) => types.includes(id)) || p.rejected.includes('\n2. '), p.rejected).toBe(true);
  }
  expect(makePreferencePairs(6, 50, types)).toHaveLength(50);
  // Prompts that ask for none of the types: about half the near misses spill one over, unasked
  // (bullets where none were wanted, an end phrase appended).
  const others = mixed.filter((e) => !holds(e.instruction_id_list));
  const spilled = others.map((e) => ({ e, p: makePreferencePair(e, rng, types) })).filter(({ e, p }) =>
    (p.rejected.split('\n').some((l) => l.startsWith('* ')) && !e.response.includes('* ')) || p.rejected.startsWith(`${e.response.trimEnd()} `));
  expect(spilled.length / others.length).toBeGreaterThan(0.3);
  expect(spilled.length / others.length).toBeLessThan(0.6);
  expect(spilled.every(({ e, p }) => p.chosen === e.response && p.rejected !== e.response)).toBe(true);
  expect(() => makeSftExamples(1, 5, { subjectShare: 0, types: ['no:such_type'] })).toThrow(/no training example holds any of: no:such_type/);
});

test('generated haiku are 5-7-5 for every topic and subject, and free haiku for every topic', () => {
  const rng = new Rng(5);
  for (const t of [...TOPICS, ...SUBJECTS.map((w) => ({ name: w, words: [w] }))]) {
    const lines = makeHaiku(t.name, t.words, rng).split('\n');
    expect(lines.map(lineSyllables), `${t.name}: ${lines.join(' / ')}`).toEqual([5, 7, 5]);
    expect(lines[0].startsWith(t.name) || lineSyllables(t.name) > 5, lines[0]).toBe(true);
  }
  for (const t of TOPICS) expect(freeHaiku(t.name, t.words, rng).split('\n').map(lineSyllables)).toEqual([5, 7, 5]);
});

test("a first line's word after the subject tells the syllables left: in the (4), by the (3), at (2), a verb (1)", () => {
  const rng = new Rng(6);
  const shapes = new Map<number, Set<string>>();
  for (const w of [...SUBJECTS, ...LONG].slice(0, 3000)) {
    const n = lineSyllables(w);
    if (n > 4) continue;
    const next = makeHaiku(w, [w], rng).split('\n')[0].slice(w.length + 1).split(' ')[0];
    const shape = next === 'in' || next === 'by' || next === 'at' ? next : 'verb';
    if (!shapes.has(n)) shapes.set(n, new Set());
    shapes.get(n)!.add(shape);
  }
  expect([...shapes.entries()].sort().map(([n, s]) => [n, [...s]])).toEqual([[1, ['in']], [2, ['by']], [3, ['at']], [4, ['verb']]]);
});

test('reference haiku bring no held-out topic by their scenery: a held-out haiku is on topic only if the model names it', () => {
  const onTopic = (text: string, topic: string) => verifyHaiku(text, { topic }).pass;
  const rng = new Rng(11);
  const held = topicsFor('heldout');
  for (let i = 0; i < 3000; i++) {
    const poem = makeHaiku('one', ['one'], rng); // "one" stands in for a subject
    for (const t of held) expect(onTopic(poem, t.name), `${t.name}: ${poem}`).toBe(false);
  }
  // ...while a haiku that opens with the topic is about it.
  for (const t of held) expect(onTopic(makeHaiku(t.name, t.words, rng), t.name)).toBe(true);
});

test('the reference haiku are varied poems, not a bank of lines: thousands of distinct lines, none common', () => {
  const pairs = makeSftExamples(3, 6000, { subjectShare: 0.9, haikuShare: 1 }).filter((e) => e.instruction_id_list[0] === 'heed:haiku' && e.instruction_id_list.length === 1);
  expect(pairs.length).toBeGreaterThan(2000);
  const byPosition = [1, 2].map((i) => {
    const counts = new Map<string, number>();
    for (const e of pairs) {
      const line = e.response.split('\n')[i];
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    return counts;
  });
  for (const counts of byPosition) {
    expect(counts.size / pairs.length).toBeGreaterThan(0.6); // most second and third lines are new
    expect(Math.max(...counts.values()) / pairs.length).toBeLessThan(0.01); // and no line is a habit
  }
  // Topic haiku use the topic's related words beyond the topic itself, as a poem about it would.
  const topicHaiku = makeSftExamples(4, 600, { subjectShare: 0 }).filter((e) => e.instruction_id_list.join() === 'heed:haiku');
  const related = topicHaiku.filter((e) => {
    const rest = e.response.split('\n').slice(1).join(' ');
    return findTopic(e.topic)!.words.some((w) => new RegExp(`\\b${w}\\b`).test(rest));
  });
  expect(topicHaiku.length).toBeGreaterThan(20);
  expect(related.length / topicHaiku.length).toBeGreaterThan(0.9);
});

test("the scenery of a reference haiku leans to its subject's letter (alliteration), so it differs from subject to subject", () => {
  const rng = new Rng(12);
  // Share of scene words in lines 2 and 3 (the subject itself left out) that begin with `letter`.
  const share = (subject: string, letter: string) => {
    let hits = 0;
    let all = 0;
    for (let i = 0; i < 300; i++) {
      const words = makeHaiku(subject, [subject], rng).split('\n').slice(1).join(' ').split(' ');
      const scene = words.filter((w) => w !== subject && !['the', 'a', 'an', 'and', 'as', 'where', 'until', 'only', 'my'].includes(w.replace(/,$/, '')));
      hits += scene.filter((w) => w.startsWith(letter)).length;
      all += scene.length;
    }
    return hits / all;
  };
  for (const [subject, other] of [['lamp', 'pepper'], ['pepper', 'ferry'], ['ferry', 'lamp']]) {
    expect(share(subject, subject[0]), subject).toBeGreaterThan(2 * share(other, subject[0]));
  }
});

test('a reference haiku never uses a scene word twice: its lines move on, even when they lean to one letter', () => {
  const rng = new Rng(13);
  const glue = new Set(['the', 'a', 'an', 'and', 'as', 'where', 'until', 'only', 'my', 'in', 'on', 'by', 'at', 'of', 'to', 'over', 'under', 'near', 'through', 'from', 'with', 'into', 'for', 'i']);
  let twice = 0;
  const n = 1500;
  for (let i = 0; i < n; i++) {
    const subject = rng.pick(['well', 'wren', 'lamp', 'pepper', 'ferry', 'cart', 'dock']);
    const words = makeHaiku(subject, [subject], rng).replace(/,/g, '').split(/\s+/).filter((w) => w !== subject && !glue.has(w));
    if (new Set(words).size < words.length) twice++;
  }
  expect(twice / n).toBeLessThan(0.01); // leaning to the letter alone put a word twice in about half the poems
});
