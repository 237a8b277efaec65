/**
 * Does a base know its topics' related words? Held-out haiku can use a
 * topic's related words ("fog": mist, grey, damp) only if pretraining taught
 * them: SFT never shows a held-out topic. The corpus states them in its Q&A
 * pages ("Q: What goes with the fog?\nA: Mist, grey, damp."); this asks that
 * question of every held-out topic, as a document, greedily, and counts the
 * answers that name one of the topic's words other than the topic itself.
 * Chance is low: the words of one topic are not another's.
 */
import type { GPT } from '../engine/model.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { HELD_OUT_TOPICS, findTopic } from '../data/topics.ts';
import { mentions } from '../tasks/haiku.ts';
import { answer } from './run.ts';

/** The question the corpus's Q&A pages ask about a topic (src/datasets/corpus.ts, `qa`). */
export const knowledgeQuestion = (topic: string) => `Q: What goes with the ${topic}?`;

export interface KnowledgeReport {
  /** Topics asked, and those whose answer names a related word. */
  topics: number;
  known: number;
  /** A few answers, for people. */
  examples: { topic: string; answer: string }[];
}

/** Whether an answer's first line ("A: Mist, grey, damp.") names one of the topic's related words (the topic itself does not count). */
export function namesRelatedWord(topic: string, text: string): boolean {
  const words = (findTopic(topic)?.words ?? []).filter((w) => w !== topic);
  return mentions(text.split('\n')[0], words);
}

export async function topicKnowledge(model: GPT, tokenizer: CharTokenizer, topics: string[] = [...HELD_OUT_TOPICS]): Promise<KnowledgeReport> {
  let known = 0;
  const examples: KnowledgeReport['examples'] = [];
  for (const topic of topics) {
    const text = await answer(model, tokenizer, knowledgeQuestion(topic), { format: 'document', maxNewTokens: 40 });
    if (namesRelatedWord(topic, text)) known++;
    if (examples.length < 4) examples.push({ topic, answer: text.split('\n')[0] });
  }
  return { topics: topics.length, known, examples };
}
