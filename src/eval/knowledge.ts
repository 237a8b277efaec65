/**
 * Does a base know its topics' related words? Held-out haiku can use a
 * topic's related words ("fog": mist, grey, damp) only if pretraining taught
 * them: SFT never shows a held-out topic. Asked two ways, as documents,
 * greedily, counting the answers whose first line names one of the topic's
 * words other than the topic itself (one topic's words are not another's):
 *   list  a word list with one example entry ("snow: cold, white, ice") and
 *         the topic's entry to complete: is the association stored at all?
 *   qa    the corpus's Q&A question ("Q: What goes with the fog?"): can the
 *         base reach it outside a word list?
 *   poem  a worked haiku request ("Write a haiku about fog." / "Answer:"):
 *         the form a tuned model needs it in. Counts the poem's three lines.
 */
import type { GPT } from '../engine/model.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { HELD_OUT_TOPICS, findTopic } from '../data/topics.ts';
import { mentions } from '../tasks/haiku.ts';
import { type EvalOptions, answer } from './run.ts';
import type { SuiteExample } from './suite.ts';
import { verdictFor } from './verdict.ts';

/** The question the corpus's Q&A pages ask about a topic (src/datasets/corpus.ts, `qa`). */
export const knowledgeQuestion = (topic: string) => `Q: What goes with the ${topic}?\nA:`;
/** A word list's entry to complete, after one example ("snow" is a related word, not a topic). */
export const wordListEntry = (topic: string) => `Words that go together\n\nsnow: cold, white, ice\n${topic}:`;
/** A worksheet's first item asking `request`, answer to come (the corpus's poem worksheets). */
export const worksheetRequest = (request: string) => `Haiku practice (with answers)\n\n1. ${request}\nAnswer:\n`;
/** A worksheet's haiku request about the topic. */
export const poemRequest = (topic: string) => worksheetRequest(`Write a haiku about ${topic}.`);
/** A worksheet's answer ends where the page's next item begins, after a blank line. */
export const worksheetAnswer = (text: string) => text.split('\n\n')[0].trim();

/** Greedy, as a document, continued where the question stops. */
const ASKED: EvalOptions = { format: 'text', maxNewTokens: 40 };
/** The same, long enough for a whole haiku and the blank line after it. */
const ASKED_POEM: EvalOptions = { format: 'text', maxNewTokens: 120 };

export interface KnowledgeReport {
  /** Topics asked, and those whose answer names a related word, in each form. */
  topics: number;
  knownInList: number;
  knownInQa: number;
  knownInPoem: number;
  /** A few answers, for people. */
  examples: { topic: string; list: string; qa: string; poem: string }[];
}

/** Whether an answer's first `lines` lines name one of the topic's related words (the topic itself does not count). */
export function namesRelatedWord(topic: string, text: string, lines = 1): boolean {
  const words = (findTopic(topic)?.words ?? []).filter((w) => w !== topic);
  return mentions(text.split('\n').slice(0, lines).join('\n'), words);
}

export async function topicKnowledge(model: GPT, tokenizer: CharTokenizer, topics: string[] = [...HELD_OUT_TOPICS]): Promise<KnowledgeReport> {
  const report: KnowledgeReport = { topics: topics.length, knownInList: 0, knownInQa: 0, knownInPoem: 0, examples: [] };
  for (const topic of topics) {
    const list = await answer(model, tokenizer, wordListEntry(topic), ASKED);
    const qa = await answer(model, tokenizer, knowledgeQuestion(topic), ASKED);
    const poem = await answer(model, tokenizer, poemRequest(topic), ASKED);
    if (namesRelatedWord(topic, list)) report.knownInList++;
    if (namesRelatedWord(topic, qa)) report.knownInQa++;
    if (namesRelatedWord(topic, poem, 3)) report.knownInPoem++;
    if (report.examples.length < 4) report.examples.push({ topic, list: list.split('\n')[0], qa: qa.split('\n')[0], poem: poem.split('\n').slice(0, 3).join(' / ') });
  }
  return report;
}

/**
 * What SFT has to unlock: the suite's haiku prompts, each asked in its own
 * words as a worksheet's first item (the form the base has read), the
 * answer up to the next item scored by the suite's checks. A base that
 * writes them here knows the skill; SFT then only has to move it behind
 * the chat template.
 */
export async function worksheetHaiku(model: GPT, tokenizer: CharTokenizer, suite: SuiteExample[]): Promise<{ passed: number; asked: number; examples: string[] }> {
  let passed = 0;
  const examples: string[] = [];
  for (const e of suite) {
    const poem = worksheetAnswer(await answer(model, tokenizer, worksheetRequest(e.prompt), ASKED_POEM));
    const v = verdictFor(e, poem);
    if (v.pass) passed++;
    if (examples.length < 3) examples.push(`${e.prompt} → ${poem.replace(/\n/g, ' / ')}  ${v.words}`);
  }
  return { passed, asked: suite.length, examples };
}
