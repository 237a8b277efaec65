/**
 * Run a model on a suite: greedy answers through the chat template (or as
 * plain continuations, for a base model seen as a document), scored the
 * IFEval way and labelled continuation-or-compliance.
 */
import { renderPrompt } from '../data/chat.ts';
import { generateBatch } from '../engine/generate.ts';
import type { GPT } from '../engine/model.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { type Label, countLabels, labelResponse } from './label.ts';
import { type PromptScore, type Summary, scorePrompt, summarise } from './score.ts';
import type { SuiteExample } from './suite.ts';
import { type VarietyReport, variety } from './variety.ts';

export interface EvalOptions {
  maxNewTokens?: number;
  /**
   * 'chat' wraps the prompt in the chat template; 'document' feeds it raw, as a base model sees text,
   * and the answer starts on the next line; 'text' continues the prompt where it stops ("fog:").
   */
  format?: 'chat' | 'document' | 'text';
  onResult?: (r: EvalResult) => void;
}

export interface EvalResult {
  key?: number | string;
  prompt: string;
  response: string;
  score: PromptScore;
  label: Label;
}

export interface EvalReport {
  results: EvalResult[];
  summary: Summary;
  labels: Record<Label, number>;
  /** What the checks cannot see: repeated lines, and how varied the haiku are (src/eval/variety.ts). */
  variety: VarietyReport;
}

/** The ids a model sees for a prompt: the chat template, or a document that starts with the prompt (and, for 'document', its line's end). */
export function promptIds(tokenizer: CharTokenizer, prompt: string, format: 'chat' | 'document' | 'text'): number[] {
  if (format === 'chat') return renderPrompt(tokenizer, prompt);
  return [tokenizer.special('<|doc|>'), ...tokenizer.encode(format === 'document' ? prompt + '\n' : prompt)];
}

/**
 * Greedy answers are generated this many prompts side by side
 * (generateBatch): on wasm a token of 16 rows costs about twice a token of
 * one, and a batch runs until its longest answer ends (1.3-1.4x sooner than one
 * by one on 48 held-out prompts; 8 at a time read the same).
 */
export const ANSWER_BATCH = 16;

/**
 * Greedy answers to `prompts` (in their order), ANSWER_BATCH at a time, the
 * prompts batched by length (less padding, and the block holds the longest
 * row's answer as it holds it alone); `onAnswer(text, i)` as each batch ends.
 */
export async function answers(model: GPT, tokenizer: CharTokenizer, prompts: string[], opts: EvalOptions = {}, onAnswer?: (text: string, i: number) => void): Promise<string[]> {
  const ids = prompts.map((p) => promptIds(tokenizer, p, opts.format ?? 'chat'));
  const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length || a - b);
  const out: string[] = new Array(prompts.length);
  for (let c = 0; c < order.length; c += ANSWER_BATCH) {
    const chunk = order.slice(c, c + ANSWER_BATCH);
    const rs = await generateBatch(model, chunk.map((i) => ids[i]), chunk.map(() => 0), {
      temperature: 0,
      maxNewTokens: opts.maxNewTokens ?? 160,
      stopTokens: [tokenizer.special('<|end|>'), tokenizer.special('<|doc|>')],
    });
    rs.forEach((r, j) => {
      out[chunk[j]] = tokenizer.decode(r.ids, { skipSpecial: true }).trim();
      onAnswer?.(out[chunk[j]], chunk[j]);
    });
  }
  return out;
}

export async function answer(model: GPT, tokenizer: CharTokenizer, prompt: string, opts: EvalOptions = {}): Promise<string> {
  return (await answers(model, tokenizer, [prompt], opts))[0];
}

export async function evaluateModel(model: GPT, tokenizer: CharTokenizer, suite: SuiteExample[], opts: EvalOptions = {}): Promise<EvalReport> {
  const results: EvalResult[] = new Array(suite.length);
  await answers(model, tokenizer, suite.map((ex) => ex.prompt), opts, (response, i) => {
    const ex = suite[i];
    const score = scorePrompt(ex, response);
    results[i] = { key: ex.key, prompt: ex.prompt, response, score, label: labelResponse(ex.prompt, response, ex.topic, score.strict.follow_all) };
    opts.onResult?.(results[i]); // as answered: batches go by prompt length, not in the suite's order
  });
  return {
    results,
    summary: summarise(suite, results.map((r) => r.score)),
    labels: countLabels(results.map((r) => r.label)),
    variety: variety(results.map((r, i) => ({ response: r.response, topic: suite[i].topic, instruction_id_list: suite[i].instruction_id_list }))),
  };
}
