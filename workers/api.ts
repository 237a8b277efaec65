/**
 * The one contract between the page and the training worker (comlink).
 * Callbacks passed here are comlink proxies; big results are transferred.
 * Every method rejects with an Error whose message is meant for a person.
 */
import type { BackendChoice, BackendInfo } from '../src/engine/backend.ts';
import type { GPTConfig, PresetName } from '../src/engine/config.ts';
import type { SampleOptions } from '../src/engine/generate.ts';
import type { EvalPoint, StopReason } from '../src/engine/train.ts';
import type { ProgressUpdate } from './progress.ts';
import type { ProbeOutput } from '../src/eval/probes.ts';
import type { Label } from '../src/eval/label.ts';
import type { Summary } from '../src/eval/score.ts';
import type { Verdict } from '../src/eval/verdict.ts';

export interface ModelInfo {
  config: GPTConfig;
  params: number;
  stage: string;
  step: number;
  vocab: string[];
}

export interface ShippedModel {
  name: string;
  stage: string;
  preset: string;
  steps: number;
}

export interface PretrainRequest {
  /** 'builtin': Heed's generated corpus (ASCII vocabulary, like the shipped models); else `text`. */
  source: 'builtin' | 'text';
  text: string;
  preset: PresetName;
  iters: number;
  batchSize: number;
  lr: number;
  seed: number;
  evalEvery: number;
  fromScratch: boolean; // false: continue training the loaded model
}

export interface TrainSummary {
  reason: StopReason;
  step: number;
  lastLoss: number;
  message?: string;
  /** Something the person should know about the run (e.g. pairs left out), shown with the result. */
  note?: string;
}

/** One generated token with the top candidates the model weighed (text as shown, after temperature). */
export interface TokenView {
  index: number;
  text: string;
  candidates: { text: string; prob: number }[];
}

export interface GenerateRequest extends Partial<SampleOptions> {
  prompt: string;
  chat?: boolean; // wrap the prompt in the chat template
}

export interface Pair {
  prompt: string;
  response: string;
}

/**
 * Pairs as one JSON text: postMessage copies one string instead of cloning
 * thousands of objects one by one. (Not UTF-8 bytes: Chromium's TextEncoder
 * takes 20-60 ms on the page's thread for the 3,000 default pairs.)
 */
export const encodePairs = (pairs: Pair[]): string => JSON.stringify(pairs);

/** The text back to JSON; the receiver checks the records (the worker with checkPairs). */
export function decodePairs(json: string): unknown {
  if (typeof json !== 'string') throw new Error('The pairs must arrive as JSON text.');
  try {
    return JSON.parse(json);
  } catch {
    throw new Error('The pairs could not be read: not valid JSON.');
  }
}

export interface SftRequest {
  /** The pairs, as `encodePairs` makes them. */
  pairs: string;
  iters: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Re-answer the probe prompts every this many steps (and before the first). */
  probeEvery: number;
  /**
   * Resume an interrupted run at this step of its schedule (the model is its
   * autosave from then): no probe before the first step, the learning rate
   * where the run left it. Absent or 0: a new run.
   */
  startStep?: number;
}

export interface ProbeRound {
  step: number;
  outputs: ProbeOutput[];
}

/** Which model a comparison or evaluation uses: the one being trained, or a shipped one by name. */
export type ModelRef = 'current' | string;

export interface AttentionView {
  tokens: string[]; // the context the chosen token attended over
  target: string; // the chosen (generated) token
  maps: number[][][]; // [layer][head][context position]
}

export interface SuiteReport {
  model: ModelRef;
  format: 'chat' | 'document';
  summary: Summary;
  labels: Record<Label, number>;
  results: { prompt: string; response: string; pass: boolean; label: Label }[];
}

/** A model's greedy answer to the headline prompt ("Write a haiku about autumn."), with the checks' verdict in words. */
export interface HeadlineAnswer {
  model: ModelRef;
  stage: string;
  text: string;
  verdict: Verdict;
}

export interface PreferencePair {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** Two answers from the current model to one built-in prompt, with what the checks say of each. */
export interface AnswerPair {
  prompt: string;
  answers: [string, string];
  checks: [string, string]; // "passes the checks" or "fails: " and the first failing check's reason
  /** Whether each answer has the chosen taste's feature (absent for free choice). */
  taste?: [boolean, boolean];
  /** The current reward model's score of each answer (absent before one is trained). */
  rm?: [number, number];
}

/** The taste meter: greedy answers to fixed prompts, the share with the taste, and the checks on a slice of the held-out suite. */
export interface MeterReport {
  taste: string;
  share: number;
  answers: { prompt: string; answer: string; has: boolean }[];
  heldoutStrict: number;
  heldoutPrompts: number;
}

export interface RewardModelReport {
  accuracy: number; // on the held-out picks (or, under 10 picks, the training picks)
  heldOut: number;
  trained: number;
  /** The words it rewards most, and least, with their weights. */
  liked: [string, number][];
  disliked: [string, number][];
}

export interface PreferenceRequest {
  pairs: PreferencePair[];
  iters: number;
  lr: number;
  seed: number;
}

export interface RlRequest {
  reward: 'rm' | 'verify';
  iters: number;
  k: number;
  beta: number;
  lr: number;
  seed: number;
  /** Share of the step kept at the end (1 when absent): 0.5 averages the start and the tuned weights. */
  keep?: number;
  /** Sampling temperature of the answers RL learns from, and prompts per step (RL_PARAMS' defaults when absent). */
  temperature?: number;
  promptsPerStep?: number;
}

export interface RlStep {
  step: number;
  reward: number;
  kl: number;
}

export interface TrainerApi {
  /** Start a backend; `threads` is read once, when wasm first starts (TF.js builds its thread pool once). */
  init(backend: BackendChoice, options?: { threads?: number }): Promise<BackendInfo>;
  modelInfo(): Promise<ModelInfo | null>;
  /** A .heed checkpoint, or a PyTorch export (its .zip, or a .safetensors Heed wrote). */
  loadCheckpoint(bytes: Uint8Array): Promise<ModelInfo>;
  /** The models that ship with Heed (models/manifest.json), by name. */
  shippedModels(): Promise<ShippedModel[]>;
  loadShipped(name: string): Promise<ModelInfo>;
  exportCheckpoint(): Promise<Uint8Array>;
  /** The built-in SFT pairs the Instruction-tune table starts with, as `encodePairs` makes them. */
  defaultPairs(): Promise<string>;
  /** Save the current model in the browser's storage (IndexedDB), from the worker. */
  autosave(): Promise<void>;
  /** Load the autosaved model, if there is one; throws with a reason if it cannot be loaded. */
  restoreSaved(): Promise<ModelInfo | null>;
  /** The current model in Hugging Face's GPT-2 layout (model.safetensors, config.json, tokenizer files, model card), as one .zip. */
  exportPyTorch(): Promise<Uint8Array>;
  pretrain(req: PretrainRequest, onProgress: (p: ProgressUpdate) => void, onEval: (e: EvalPoint) => void): Promise<TrainSummary>;
  pause(): void;
  resume(): void;
  stop(): void;
  generate(req: GenerateRequest, onToken: (e: TokenView) => void): Promise<{ text: string; finish: string }>;
  tokenize(text: string): Promise<string[]>;
  /** Instruction-tune the current model on pairs; probe outputs arrive every `probeEvery` steps, each after the model is autosaved. */
  sft(req: SftRequest, onProgress: (p: ProgressUpdate) => void, onProbe: (r: ProbeRound) => void): Promise<TrainSummary>;
  /** Generate with any model (for side-by-side comparison); a base model sees the prompt as a document. */
  generateWith(model: ModelRef, req: GenerateRequest, onToken: (e: TokenView) => void): Promise<{ text: string; finish: string }>;
  /** The headline prompt answered greedily by a model (as its stage reads prompts), checked: the page's first screen. */
  headline(model: ModelRef): Promise<HeadlineAnswer>;
  /** Attention of every layer and head when the model produced token `index` of `generated`, after `prompt`. */
  attention(req: { prompt: string; chat: boolean; generated: string; index: number }): Promise<AttentionView>;
  /** Run a check suite (greedy) on a model; one callback per answered prompt. */
  evaluate(model: ModelRef, suite: 'heldout' | 'haiku-heldout', onResult: (done: number, total: number) => void): Promise<SuiteReport>;
  /**
   * Two answers to built-in training prompt `index` (cycled) for the learner to compare: the pair of four samples
   * (temperature 1) that differ most, and differ on `taste` (a taste id; '' for free choice) when any do.
   */
  samplePair(index: number, seed: number, taste: string): Promise<AnswerPair>;
  /** Fit a reward model (one weight per word) to the learner's pairs, kept in the worker for RL; returns its accuracy on held-out pairs and what it learnt. */
  trainRewardModel(req: Pick<PreferenceRequest, 'pairs'>): Promise<RewardModelReport>;
  /** Read the taste meter of the current model (see MeterReport). */
  tasteMeter(taste: string): Promise<MeterReport>;
  /** DPO on pairs against a frozen copy of the current model. */
  dpo(req: PreferenceRequest & { beta: number; keep?: number }, onProgress: (p: ProgressUpdate) => void): Promise<TrainSummary>;
  /** RL on built-in prompts, rewarded by the reward model or by the checks. */
  rl(req: RlRequest, onStep: (s: RlStep) => void): Promise<TrainSummary>;
}
