/** A base's knowledge of its topics' related words (src/eval/knowledge.ts), asked as the corpus's Q&A pages ask it. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { GENRE_WEIGHTS, makeDocument } from '../../src/datasets/corpus.ts';
import { findTopic } from '../../src/data/topics.ts';
import { Rng } from '../../src/engine/rng.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { knowledgeQuestion, namesRelatedWord, poemRequest, topicKnowledge, wordListEntry, worksheetAnswer, worksheetRequest } from '../../src/eval/knowledge.ts';
import { suiteByName } from '../../src/eval/suite.ts';
import { verdictFor } from '../../src/eval/verdict.ts';
import { useBackend } from './helpers.ts';

test('the questions are the corpus\'s own (Q&A pages, word lists), and its own answers count as knowing', () => {
  const onlyQa = Object.fromEntries(Object.keys(GENRE_WEIGHTS).map((g) => [g, g === 'qa' ? 1 : 0])) as typeof GENRE_WEIGHTS;
  const rng = new Rng(3);
  for (let i = 0; i < 50; i++) {
    const doc = makeDocument(rng, onlyQa);
    const topic = /^Q: What is the (.+) like\?/.exec(doc)![1];
    const at = doc.indexOf(knowledgeQuestion(topic));
    expect(at, doc).toBeGreaterThan(0);
    expect(namesRelatedWord(topic, doc.slice(at + knowledgeQuestion(topic).length).trim())).toBe(true);
    // ...and so do a glossary page's entries, the word list's form.
  }
  const onlyGlossary = Object.fromEntries(Object.keys(GENRE_WEIGHTS).map((g) => [g, g === 'glossary' ? 1 : 0])) as typeof GENRE_WEIGHTS;
  const listEntries = Array.from({ length: 60 }, () => makeDocument(rng, onlyGlossary).split('\n')[3]).filter((e) => e.includes(': '));
  expect(listEntries.length).toBeGreaterThan(10);
  for (const entry of listEntries) {
    const topic = entry.split(':')[0];
    expect(wordListEntry(topic).split('\n').at(-1)).toBe(`${topic}:`);
    expect(namesRelatedWord(topic, entry.slice(topic.length + 1))).toBe(true);
  }
  // ...and a topic poem worksheet's answers, the haiku's form: the request's shape, then three lines that bring the words.
  const onlyPoems = Object.fromEntries(Object.keys(GENRE_WEIGHTS).map((g) => [g, g === 'topicPoems' ? 1 : 0])) as typeof GENRE_WEIGHTS;
  const [heading, , first] = poemRequest('fog').split('\n');
  expect(first).toBe('1. Write a haiku about fog.');
  let poems = 0;
  for (let i = 0; i < 40; i++) {
    const doc = makeDocument(rng, onlyPoems);
    const items = doc.split('\n\n').slice(1).map((item) => item.split('\n'));
    for (const [, label, ...poem] of items) {
      expect(label).toMatch(/^(Answer|Model answer|Example):$/);
      const topic = poem[0].split(' ')[0]; // one-word topics; "train station" and its like are skipped
      if (findTopic(topic) && namesRelatedWord(topic, poem.join('\n'), 3)) poems++;
    }
    if (doc.startsWith(heading)) expect(doc).toMatch(/\n\n1\. .+\n(Answer|Model answer|Example):\n/);
  }
  expect(poems).toBeGreaterThan(40);
});

test('a suite prompt asked as a worksheet item: the answer ends at the next item and is scored by the suite\'s checks', () => {
  const e = suiteByName('haiku-heldout').find((x) => x.topic === 'fog') ?? suiteByName('haiku-heldout')[0];
  expect(worksheetRequest(e.prompt)).toBe(`Haiku practice (with answers)\n\n1. ${e.prompt}\nAnswer:\n`);
  expect(poemRequest('fog')).toBe(worksheetRequest('Write a haiku about fog.'));
  const topic = e.topic!;
  const poem = `${topic} on the hill\nthe road is long and quiet\ngrey on the water`;
  const next = '\n\n2. Write a haiku about rain.\nAnswer:\nrain';
  expect(worksheetAnswer(`${poem}${next}`)).toBe(poem);
  // Cut at the next item, not at three lines: a fourth line still fails the haiku check.
  expect(worksheetAnswer(`${poem}\nand more${next}`).split('\n')).toHaveLength(4);
  expect(verdictFor(e, worksheetAnswer(`${poem}\nand more${next}`)).pass).toBe(false);
});

test('naming the topic itself, or a related word after the first line, is not knowing', () => {
  expect(namesRelatedWord('fog', 'A: Mist, and more mist.')).toBe(true);
  expect(namesRelatedWord('fog', 'A: The fog, the fog.')).toBe(false);
  expect(namesRelatedWord('fog', 'A: The stone.\nQ: And the mist?')).toBe(false);
  expect(namesRelatedWord('autumn', 'A: Leaves.')).toBe(true);
  expect(namesRelatedWord('autumn', 'A: Snow.')).toBe(false); // winter's word
  // A haiku is asked for its three lines: a word on the third counts there, not in a one-line answer.
  expect(namesRelatedWord('fog', 'fog on the hill\nthe road is long and quiet\ngrey on the water', 3)).toBe(true);
  expect(namesRelatedWord('fog', 'fog on the hill\nthe road is long and quiet\ngrey on the water')).toBe(false);
  expect(namesRelatedWord('fog', 'fog on the hill\nthe road goes on\nthe bus\nmist', 3)).toBe(false);
});

test('asks the topics given and holds the tensor count flat', async () => {
  await useBackend('wasm');
  const { model, tokenizer } = await loadCheckpoint(new Uint8Array(readFileSync('models/base.heed')));
  await topicKnowledge(model, tokenizer, ['fog']); // the first forward pass may cache (a causal mask)
  const before = tf.memory().numTensors;
  const r = await topicKnowledge(model, tokenizer, ['fog', 'owl']);
  expect(tf.memory().numTensors).toBe(before);
  expect(r.topics).toBe(2);
  expect(r.examples.map((e) => e.topic)).toEqual(['fog', 'owl']);
  expect(r.knownInPoem).toBeLessThanOrEqual(2);
  model.dispose();
});
