/**
 * The one contract between the page and the training worker (comlink).
 * Callbacks passed here are comlink proxies; big results are transferred.
 * Every method rejects with an Error whose message is meant for a person.
 */
import type { BackendChoice, BackendInfo } from '../src/engine/backend.ts';
import type { GPTConfig, PresetName } from '../src/engine/config.ts';
import type { SampleOptions, TokenEvent } from '../src/engine/generate.ts';
import type { EvalPoint, Progress, StopReason } from '../src/engine/train.ts';

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
}

export interface GenerateRequest extends Partial<SampleOptions> {
  prompt: string;
  chat?: boolean; // wrap the prompt in the chat template
}

export interface TrainerApi {
  init(backend: BackendChoice): Promise<BackendInfo>;
  modelInfo(): Promise<ModelInfo | null>;
  loadCheckpoint(bytes: Uint8Array): Promise<ModelInfo>;
  /** The models that ship with Heed (models/manifest.json), by name. */
  shippedModels(): Promise<ShippedModel[]>;
  loadShipped(name: string): Promise<ModelInfo>;
  exportCheckpoint(): Promise<Uint8Array>;
  pretrain(req: PretrainRequest, onProgress: (p: Progress) => void, onEval: (e: EvalPoint) => void): Promise<TrainSummary>;
  pause(): void;
  resume(): void;
  stop(): void;
  generate(req: GenerateRequest, onToken: (e: TokenEvent & { text: string }) => void): Promise<{ text: string; finish: string }>;
  tokenize(text: string): Promise<string[]>;
}
