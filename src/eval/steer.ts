/**
 * Steering a model toward a taste, the parts the bench and the worker share:
 * sampling answers to rate (several at `RATING_TEMPERATURE`, then the pair
 * worth choosing between, see `choosePair`) and reading the taste meter (greedy
 * answers to fixed prompts, so before and after compare like with like).
 */
import { renderPrompt } from '../data/chat.ts';
import { makeSftExamples } from '../datasets/pairs.ts';
import { generateMany } from '../engine/generate.ts';
import type { GPT } from '../engine/model.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { answers } from './run.ts';
import { type Taste, choosePair, tasteShare } from './tastes.ts';

/**
 * Prompts to rate and to run RL on (the SFT mix: haiku, descriptions, lists,
 * one-word answers; training topics and phrasings), and the fixed prompts of
 * the meter, drawn from another seed so the meter reads prompts preference
 * tuning never saw.
 */
export const ratingExamples = (count: number, seed = 11) => makeSftExamples(seed, count);
export const ratingPrompts = (count: number, seed = 11): string[] => ratingExamples(count, seed).map((e) => e.prompt);
export const METER_SEED = 4242;
export const meterPrompts = (count = 40, seed = METER_SEED): string[] => ratingPrompts(count, seed);

/** How many answers are sampled to find one pair to rate. */
export const CANDIDATES = 4;
/** Sampling temperature of the answers to rate. */
export const RATING_TEMPERATURE = 1;

export async function sampleAnswers(model: GPT, tokenizer: CharTokenizer, prompt: string, n: number, seed: number, maxNewTokens = 120, temperature = RATING_TEMPERATURE): Promise<string[]> {
  const ids = renderPrompt(tokenizer, prompt);
  const stopTokens = [tokenizer.special('<|end|>'), tokenizer.special('<|doc|>')];
  const seeds = Array.from({ length: n }, (_, i) => seed + i);
  const rs = await generateMany(model, ids, seeds, { temperature, maxNewTokens, stopTokens });
  return rs.map((r) => tokenizer.decode(r.ids, { skipSpecial: true }).trim());
}

/** Two answers to `prompt` that differ enough to choose between (on `taste` if given), or null when the samples do not. */
export async function ratingPair(
  model: GPT, tokenizer: CharTokenizer, prompt: string, seed: number, taste?: Taste,
  o: { temperature?: number; prefer?: 'similar' | 'different' } = {},
): Promise<[string, string] | null> {
  const answers = await sampleAnswers(model, tokenizer, prompt, CANDIDATES, seed, 120, o.temperature);
  const pair = choosePair(answers, taste, o.prefer);
  return pair && [answers[pair[0]], answers[pair[1]]];
}

export interface MeterReading {
  share: number;
  answers: { prompt: string; answer: string; has: boolean }[];
}

/** The taste meter on fixed prompts: greedy answers and the share with the taste's feature. */
export async function readMeter(model: GPT, tokenizer: CharTokenizer, taste: Taste, prompts: string[], maxNewTokens = 120): Promise<MeterReading> {
  const texts = await answers(model, tokenizer, prompts, { maxNewTokens });
  return { share: tasteShare(taste, texts), answers: prompts.map((prompt, i) => ({ prompt, answer: texts[i], has: taste.has(texts[i]) })) };
}
