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
import { MAX_WASM_THREADS } from '../src/engine/wasmThreads.ts';
import { type ManifestEntry, loadCheckpoint, readCheckpoint, saveCheckpoint } from '../src/engine/checkpoint.ts';
import { checkpointFromFile, exportHuggingFace } from '../src/engine/huggingface.ts';
import { type HeldOutFigures, modelCard } from '../src/engine/modelCard.ts';
import { writeZip } from '../src/engine/zip.ts';
import { countParams, isPreset, presetConfig } from '../src/engine/config.ts';
import { generate } from '../src/engine/generate.ts';
import { GPT } from '../src/engine/model.ts';
import { CharTokenizer } from '../src/engine/tokenizer.ts';
import { TrainControl } from '../src/engine/train.ts';
import { pretrainData, runPretrain } from '../src/stages/pretrain.ts';
import { pretrainParams } from '../src/stages/settings.ts';
import { CHAT_TEMPLATE_JINJA } from '../src/data/chat.ts';
import { HEADLINE } from '../src/eval/probes.ts';
import { verdictFor } from '../src/eval/verdict.ts';
import { answer, evaluateModel, promptIds } from '../src/eval/run.ts';
import { suiteByName } from '../src/eval/suite.ts';
import { makeSftPairs } from '../src/datasets/pairs.ts';
import { LESSON_SFT } from '../src/datasets/lesson.ts';
import { type GenerateRequest, type ModelInfo, type ModelRef, type PretrainRequest, type TrainerApi, encodePairs } from './api.ts';
import { preferenceCalls } from './preferences.ts';
import { sftCall } from './sft.ts';
import { batchProgress } from './progress.ts';
import * as storage from './storage.ts';
import { checkCorpus, checkParam, checkRange, checkSeed, checkSuite, checkText } from './validate.ts';

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
/** The current model's last held-out check (for the export's model card), with the step it was taken at. */
let heldOut: { stage: string; step: number; figures: HeldOutFigures } | null = null;

function info(): ModelInfo | null {
  if (!model || !tokenizer) return null;
  return { config: model.config, params: countParams(model.config), stage, step, vocab: [...tokenizer.specials, ...tokenizer.chars] };
}

function requireModel(): { model: GPT; tokenizer: CharTokenizer } {
  if (!model || !tokenizer) throw new Error('No model is loaded yet: load a checkpoint or pretrain one first.');
  return { model, tokenizer };
}

interface Loaded {
  model: GPT;
  tokenizer: CharTokenizer;
  stage: string;
}

/** Shipped models loaded for comparison, kept apart from the model being trained. */
const shippedCache = new Map<string, Loaded>();

async function shippedBytes(name: string): Promise<Uint8Array> {
  const entry = SHIPPED.find((m) => m.name === name);
  const url = entry && SHIPPED_URLS[`../models/${entry.file}`];
  if (!url) throw new Error(`No shipped model named "${name}".`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not read the shipped model "${name}" (${response.status}).`);
  return new Uint8Array(await response.arrayBuffer());
}

async function modelFor(ref: ModelRef): Promise<Loaded> {
  if (ref === 'current') return { ...requireModel(), stage };
  let m = shippedCache.get(ref);
  if (!m) {
    const loaded = await loadCheckpoint(await shippedBytes(ref));
    m = { model: loaded.model, tokenizer: loaded.tokenizer, stage: loaded.header.stage };
    shippedCache.set(ref, m);
  }
  return m;
}

/** A base model reads a prompt as the start of a document; a tuned one through the chat template. */
const formatFor = (modelStage: string) => (modelStage === 'pretrain' ? 'document' : 'chat');

function replaceModel(next: GPT, nextTokenizer: CharTokenizer, nextStage: string, nextStep: number): void {
  model?.dispose();
  model = next;
  tokenizer = nextTokenizer;
  stage = nextStage;
  step = nextStep;
}

/** One run at a time: its control (pause, resume, stop); refused while another runs. */
function beginRun(): TrainControl {
  if (control) throw new Error('Training is already running.');
  control = new TrainControl();
  return control;
}

/** The run is over; a run that changed the model records its stage and steps. */
function endRun(nextStage = '', steps = 0): void {
  control = null;
  if (nextStage && steps > 0) {
    stage = nextStage;
    step += steps;
  }
}

/** How many generated pairs the Instruction-tune table starts with. */

/** The IndexedDB key of the autosaved model (written and read here, so its bytes never cross to the page). */
const AUTOSAVE_KEY = 'checkpoint';

function checkpointBytes(): Promise<Uint8Array> {
  const m = requireModel();
  return saveCheckpoint(m.model, m.tokenizer, { stage, step, metrics: {} });
}

const preferences = preferenceCalls({ requireModel, begin: beginRun, finish: endRun });

const api: TrainerApi = {
  ...preferences,

  async init(backend: BackendChoice, options: { threads?: number } = {}) {
    if (control) throw new Error('Stop training before switching backends.');
    // TF.js moves a tensor to a new backend with a synchronous read, which WebGPU
    // does not do faithfully (a model carried over from it generated <|pad|>
    // forever): carry the weights across as a checkpoint, read asynchronously,
    // and rebuild them on the new backend, checked like any loaded file.
    const carried = model && tokenizer ? await checkpointBytes() : null;
    for (const m of shippedCache.values()) m.model.dispose();
    shippedCache.clear();
    const threads = options.threads === undefined ? undefined : checkRange('Threads', options.threads, 1, MAX_WASM_THREADS, true);
    const chosen = await initBackend(backend, { wasmPaths, threads });
    if (carried) {
      const loaded = await loadCheckpoint(carried);
      replaceModel(loaded.model, loaded.tokenizer, stage, step);
    }
    return chosen;
  },

  async modelInfo() {
    return info();
  },

  async loadCheckpoint(bytes: Uint8Array) {
    if (control) throw new Error('Stop training before loading another model.');
    if (!(bytes instanceof Uint8Array)) throw new Error('A checkpoint must be the bytes of a .heed file.');
    const loaded = await loadCheckpoint(checkpointFromFile(bytes)); // throws before anything is replaced
    replaceModel(loaded.model, loaded.tokenizer, loaded.header.stage, loaded.header.step);
    return info()!;
  },

  async shippedModels() {
    return SHIPPED.map(({ name, stage, preset, steps }) => ({ name, stage, preset, steps }));
  },

  async loadShipped(name: string) {
    return api.loadCheckpoint(await shippedBytes(name));
  },

  async exportCheckpoint() {
    const bytes = await checkpointBytes();
    return Comlink.transfer(bytes, [bytes.buffer]);
  },

  async defaultPairs() {
    return encodePairs(makeSftPairs(LESSON_SFT.seed, LESSON_SFT.pairs, LESSON_SFT.mix));
  },

  async autosave() {
    await storage.save(AUTOSAVE_KEY, await checkpointBytes());
  },

  async restoreSaved() {
    const bytes = await storage.load<Uint8Array>(AUTOSAVE_KEY);
    return bytes ? api.loadCheckpoint(bytes) : null;
  },

  async exportPyTorch() {
    const ckpt = readCheckpoint(await checkpointBytes());
    const figures = heldOut && heldOut.stage === stage && heldOut.step === step ? heldOut.figures : undefined;
    const card = modelCard({ header: ckpt.header, name: `heed-${stage}-${step}`, heldOut: figures });
    const zip = writeZip(exportHuggingFace(ckpt, { chatTemplate: CHAT_TEMPLATE_JINJA, card }));
    return Comlink.transfer(zip, [zip.buffer]);
  },

  async pretrain(req: PretrainRequest, onProgress, onEval) {
    if (control) throw new Error('Training is already running.');
    if (!isPreset(req.preset)) throw new Error(`Unknown model size "${req.preset}".`);
    const P = pretrainParams(req.preset);
    const o = { iters: checkParam(P.iters, req.iters), batchSize: checkParam(P.batchSize, req.batchSize), lr: checkParam(P.lr, req.lr), seed: checkParam(P.seed, req.seed), evalEvery: checkParam(P.evalEvery, req.evalEvery) };
    checkCorpus(req.source, req.text);
    const builtin = req.source === 'builtin';
    const fresh = req.fromScratch || !model;
    // Training further keeps the model's tokenizer: the text is read in its vocabulary.
    const { tokenizer: tk, data } = pretrainData(builtin ? { builtin, chars: 1_000_000 } : { builtin, text: req.text }, o.seed, undefined, fresh ? undefined : tokenizer!);
    const m = fresh ? GPT.create(presetConfig(req.preset, tk.vocabSize), o.seed) : model!;
    const blockSize = m.config.blockSize;
    if (data.train.length < blockSize + 2) {
      if (fresh) m.dispose();
      throw new Error(`The training text is too short: ${req.text.length} characters, need more than ${blockSize + 2}.`);
    }
    if (fresh) replaceModel(m, tk, 'pretrain', 0);
    const run = beginRun();
    const progress = batchProgress(onProgress);
    let stepsDone = 0;
    try {
      const r = await runPretrain(m, data, { ...o, preset: req.preset, blockSize, startStep: step }, {
        control: run, onProgress: (p) => progress.push(p), onEval: (e) => onEval(e),
      });
      r.optimizer.dispose();
      await progress.flush();
      stepsDone = r.step - step;
      return { reason: r.reason, step: r.step, lastLoss: r.lastLoss, message: r.message };
    } finally {
      endRun('pretrain', stepsDone);
    }
  },

  pause: () => control?.pause(),
  resume: () => control?.resume(),
  stop: () => control?.stop(),

  async generate(req: GenerateRequest, onToken) {
    return api.generateWith('current', req, onToken);
  },

  async generateWith(ref: ModelRef, req: GenerateRequest, onToken) {
    if (typeof req !== 'object' || req === null) throw new Error('A generate request must be a record.');
    const m = await modelFor(ref);
    const { prompt, chat, ...opts } = req;
    if (opts.seed !== undefined) checkSeed(opts.seed);
    if (!checkText('The prompt', prompt).trim()) throw new Error('Type a prompt first.');
    const format = chat === undefined ? formatFor(m.stage) : chat ? 'chat' : 'document';
    const ids = promptIds(m.tokenizer, prompt, format);
    const stopTokens = [m.tokenizer.special('<|end|>'), m.tokenizer.special('<|doc|>')];
    const text = (id: number) => m.tokenizer.decode([id], { skipSpecial: false });
    const r = await generate(m.model, ids, { ...opts, stopTokens }, (e) => {
      onToken({ index: e.index, text: text(e.id), candidates: e.candidates.map((c) => ({ text: text(c.id), prob: c.prob })) });
    });
    return { text: m.tokenizer.decode(r.ids, { skipSpecial: true }), finish: r.finish };
  },

  sft: sftCall({
    requireModel, begin: beginRun, finish: endRun,
    autosave: async (steps) => {
      const m = requireModel();
      await storage.save(AUTOSAVE_KEY, await saveCheckpoint(m.model, m.tokenizer, { stage: 'sft', step: step + steps, metrics: {} })).catch(() => undefined);
    },
  }),

  async headline(ref: ModelRef) {
    const m = await modelFor(ref);
    // Enough for a haiku, and for a base model to show where it goes instead: the shipped base writes a worked
    // answer first ("Model answer:" and a poem) and only then the worksheet's next item, about 100 characters in.
    const text = await answer(m.model, m.tokenizer, HEADLINE.prompt, { format: formatFor(m.stage), maxNewTokens: 120 });
    return { model: ref, stage: m.stage, text, verdict: verdictFor(HEADLINE, text) };
  },

  async attention({ prompt, chat, generated, index }) {
    const m = requireModel();
    const gen = m.tokenizer.encode(checkText('The generated text', generated));
    checkText('The prompt', prompt);
    if (!(index >= 0 && index < gen.length)) throw new Error('Pick a generated token to see its attention.');
    const all = [...promptIds(m.tokenizer, prompt, chat ? 'chat' : 'document'), ...gen.slice(0, index)];
    const context = all.slice(-m.model.config.blockSize);
    const maps = await m.model.attentionAt(context);
    return { tokens: context.map((id) => m.tokenizer.tokenText(id)), target: m.tokenizer.tokenText(gen[index]), maps };
  },

  async evaluate(ref: ModelRef, suite, onResult) {
    if (control) throw new Error('Wait for training to finish before running the checks.');
    const m = await modelFor(ref);
    const examples = suiteByName(checkSuite(suite));
    const format = formatFor(m.stage);
    let done = 0;
    const report = await evaluateModel(m.model, m.tokenizer, examples, { format, maxNewTokens: 160, onResult: () => onResult(++done, examples.length) });
    const results = report.results.map((r) => ({ prompt: r.prompt, response: r.response, pass: r.score.strict.follow_all, label: r.label }));
    const { prompts, promptStrict, instructionStrict, perType } = report.summary;
    if (ref === 'current') heldOut = { stage, step, figures: { suite: `${suite} (${format})`, prompts, promptStrict, instructionStrict, perType } };
    return { model: ref, format, summary: report.summary, labels: report.labels, results };
  },

  async tokenize(text: string) {
    const m = requireModel();
    return m.tokenizer.encode(checkText('The text', text)).map((id) => m.tokenizer.tokenText(id));
  },
};

Comlink.expose(api);
