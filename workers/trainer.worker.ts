/**
 * The training worker: owns the TF.js backend, the model and the tokenizer,
 * and runs every long computation off the main thread. Exposes TrainerApi
 * through comlink; errors reach the page as rejected promises with a message
 * for a person, never as a silent crash.
 */
import * as Comlink from 'comlink';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { type BackendChoice, initBackend } from '../src/engine/backend.ts';
import { type ManifestEntry, loadCheckpoint, saveCheckpoint } from '../src/engine/checkpoint.ts';
import { countParams, PRESETS, TRAIN_DEFAULTS, presetConfig } from '../src/engine/config.ts';
import { generate } from '../src/engine/generate.ts';
import { renderPrompt } from '../src/data/chat.ts';
import { GPT } from '../src/engine/model.ts';
import { pretrainStage, splitTokens } from '../src/engine/pretrain.ts';
import { CharTokenizer } from '../src/engine/tokenizer.ts';
import { TrainControl, train } from '../src/engine/train.ts';
import type { GenerateRequest, ModelInfo, PretrainRequest, TrainerApi } from './api.ts';

import manifestJson from '../models/manifest.json';

/** Shipped checkpoints, bundled by Vite as same-origin assets (nothing leaves the origin). */
const SHIPPED = (manifestJson as { models: ManifestEntry[] }).models;
const SHIPPED_URLS = import.meta.glob('../models/*.heed', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

const wasmPaths = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

let model: GPT | null = null;
let tokenizer: CharTokenizer | null = null;
let stage = 'none';
let step = 0;
let control: TrainControl | null = null;

function info(): ModelInfo | null {
  if (!model || !tokenizer) return null;
  return { config: model.config, params: countParams(model.config), stage, step, vocab: [...tokenizer.specials, ...tokenizer.chars] };
}

function requireModel(): { model: GPT; tokenizer: CharTokenizer } {
  if (!model || !tokenizer) throw new Error('No model is loaded yet: load a checkpoint or pretrain one first.');
  return { model, tokenizer };
}

function checkRange(name: string, v: number, lo: number, hi: number, integer = false): void {
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new Error(`${name} must be ${integer ? 'an integer ' : ''}between ${lo} and ${hi} (got ${v}).`);
  }
}

function replaceModel(next: GPT, nextTokenizer: CharTokenizer, nextStage: string, nextStep: number): void {
  model?.dispose();
  model = next;
  tokenizer = nextTokenizer;
  stage = nextStage;
  step = nextStep;
}

const api: TrainerApi = {
  async init(backend: BackendChoice) {
    return initBackend(backend, { wasmPaths });
  },

  async modelInfo() {
    return info();
  },

  async loadCheckpoint(bytes: Uint8Array) {
    if (control) throw new Error('Stop training before loading another model.');
    const loaded = loadCheckpoint(bytes); // throws before anything is replaced
    replaceModel(loaded.model, loaded.tokenizer, loaded.header.stage, loaded.header.step);
    return info()!;
  },

  async shippedModels() {
    return SHIPPED.map(({ name, stage, preset, steps }) => ({ name, stage, preset, steps }));
  },

  async loadShipped(name: string) {
    const entry = SHIPPED.find((m) => m.name === name);
    const url = entry && SHIPPED_URLS[`../models/${entry.file}`];
    if (!url) throw new Error(`No shipped model named "${name}".`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Could not read the shipped model "${name}" (${response.status}).`);
    return api.loadCheckpoint(new Uint8Array(await response.arrayBuffer()));
  },

  async exportCheckpoint() {
    const m = requireModel();
    const bytes = await saveCheckpoint(m.model, m.tokenizer, { stage, step, metrics: {} });
    return Comlink.transfer(bytes, [bytes.buffer]);
  },

  async pretrain(req: PretrainRequest, onProgress, onEval) {
    if (control) throw new Error('Training is already running.');
    if (!(req.preset in PRESETS)) throw new Error(`Unknown model size "${req.preset}".`);
    checkRange('Steps', req.iters, 1, 100_000, true);
    checkRange('Batch size', req.batchSize, 1, 256, true);
    checkRange('Learning rate', req.lr, 1e-6, 0.1);
    checkRange('Seed', req.seed, 0, 2 ** 31, true);
    checkRange('Eval every', req.evalEvery, 1, 100_000, true);
    if (!req.text.trim()) throw new Error('The training text is empty.');
    const fresh = req.fromScratch || !model;
    const tk = fresh ? CharTokenizer.fromText(req.text) : tokenizer!;
    const m = fresh ? GPT.create(presetConfig(req.preset, tk.vocabSize), req.seed) : model!;
    const blockSize = m.config.blockSize;
    const data = splitTokens(tk.encode(req.text), 0.1);
    if (data.train.length < blockSize + 2) {
      if (fresh) m.dispose();
      throw new Error(`The training text is too short: ${req.text.length} characters, need more than ${blockSize + 2}.`);
    }
    if (fresh) replaceModel(m, tk, 'pretrain', 0);
    const d = TRAIN_DEFAULTS[req.preset];
    control = new TrainControl();
    try {
      const r = await train(m, pretrainStage(data, { batchSize: req.batchSize, blockSize, seed: req.seed }), {
        iters: step + req.iters, startStep: step, clip: d.clip, evalEvery: req.evalEvery, control,
        schedule: { lr: req.lr, minLr: req.lr / 10, warmup: Math.min(d.warmup, Math.floor(req.iters / 10)), decaySteps: step + req.iters },
        adamw: { beta2: d.beta2, weightDecay: d.weightDecay },
        onProgress: (p) => onProgress(p),
        onEval: (e) => onEval(e),
      });
      r.optimizer.dispose();
      step = r.step;
      stage = 'pretrain';
      return { reason: r.reason, step: r.step, lastLoss: r.lastLoss, message: r.message };
    } finally {
      control = null;
    }
  },

  pause: () => control?.pause(),
  resume: () => control?.resume(),
  stop: () => control?.stop(),

  async generate(req: GenerateRequest, onToken) {
    const m = requireModel();
    const { prompt, chat, ...opts } = req;
    const ids = chat ? renderPrompt(m.tokenizer, prompt) : m.tokenizer.encode(prompt);
    if (!ids.length) throw new Error('Type a prompt first.');
    const stopTokens = [m.tokenizer.special('<|end|>'), m.tokenizer.special('<|doc|>')];
    const r = await generate(m.model, ids, { ...opts, stopTokens }, (e) => {
      onToken({ ...e, text: m.tokenizer.decode([e.id], { skipSpecial: true }) });
    });
    return { text: m.tokenizer.decode(r.ids, { skipSpecial: true }), finish: r.finish };
  },

  async tokenize(text: string) {
    const m = requireModel();
    return m.tokenizer.encode(text).map((id) => m.tokenizer.tokenText(id));
  },
};

Comlink.expose(api);
