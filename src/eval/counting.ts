/**
 * Counting an unseen word's syllables: a model reads the start of a class
 * anthology page whose next poem is titled by a made-up word, and writes the
 * poem's first line greedily. The score is the share of first lines that open
 * with the word and hold exactly five syllables. A haiku about a subject the
 * model was never tuned on needs the subject copied (src/eval/copying.ts) and
 * counted from its spelling; a base that cannot count leaves the lesson to
 * teach it, and 300 steps do not (docs/experiments.md). `heed pretrain` prints
 * it beside copying.
 */
import type { GPT } from '../engine/model.ts';
import { generate } from '../engine/generate.ts';
import { Rng } from '../engine/rng.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { nonceWord } from '../data/nonceWords.ts';
import { lineSyllables } from '../data/syllables.ts';
import { cap } from '../data/writing.ts';

/** The page the first line is written on: an anthology's heading, then the poem's title. */
export const countingPrompt = (word: string) => `Our haiku wall\n\n${cap(word)}\n`;

/** Whether `line` opens with `word` and holds five syllables: a haiku's first line about it. */
export function countedFirstLine(line: string, word: string): boolean {
  const lower = line.toLowerCase();
  return (lower === word || lower.startsWith(`${word} `)) && lineSyllables(line) === 5;
}

/**
 * The share of `count` made-up words (fixed seed: the same words for every
 * model) whose greedy first line opens with the word and holds five syllables.
 */
export async function countingScore(model: GPT, tokenizer: CharTokenizer, count = 30, seed = 99): Promise<number> {
  const rng = new Rng(seed);
  const newline = tokenizer.encode('\n')[0];
  let counted = 0;
  for (let k = 0; k < count; k++) {
    const word = nonceWord(rng);
    const ids = [tokenizer.special('<|doc|>'), ...tokenizer.encode(countingPrompt(word))];
    const r = await generate(model, ids.slice(-model.config.blockSize), { temperature: 0, maxNewTokens: word.length + 24, stopTokens: [newline], topCandidates: 0 });
    if (countedFirstLine(tokenizer.decode(r.ids, { skipSpecial: true }).trim(), word)) counted++;
  }
  return counted / count;
}
