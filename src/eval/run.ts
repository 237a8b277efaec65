/**
 * Run a model on a suite: greedy answers through the chat template (or as
 * plain continuations, for a base model seen as a document), scored the
 * IFEval way and labelled continuation-or-compliance.
 */
import { renderPrompt } from '../data/chat.ts';
import { generate } from '../engine/generate.ts';
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

export async function answer(model: GPT, tokenizer: CharTokenizer, prompt: string, opts: EvalOptions = {}): Promise<string> {
  const ids = promptIds(tokenizer, prompt, opts.format ?? 'chat');
  const r = await generate(model, ids, {
    temperature: 0,
    maxNewTokens: opts.maxNewTokens ?? 160,
    stopTokens: [tokenizer.special('<|end|>'), tokenizer.special('<|doc|>')],
  });
  return tokenizer.decode(r.ids, { skipSpecial: true }).trim();
}

export async function evaluateModel(model: GPT, tokenizer: CharTokenizer, suite: SuiteExample[], opts: EvalOptions = {}): Promise<EvalReport> {
  const results: EvalResult[] = [];
  for (const ex of suite) {
    const response = await answer(model, tokenizer, ex.prompt, opts);
    const score = scorePrompt(ex, response);
    const result = { key: ex.key, prompt: ex.prompt, response, score, label: labelResponse(ex.prompt, response, ex.topic, score.strict.follow_all) };
    results.push(result);
    opts.onResult?.(result);
  }
  return {
    results,
    summary: summarise(suite, results.map((r) => r.score)),
    labels: countLabels(results.map((r) => r.label)),
    variety: variety(results.map((r, i) => ({ response: r.response, topic: suite[i].topic, instruction_id_list: suite[i].instruction_id_list }))),
  };
}
