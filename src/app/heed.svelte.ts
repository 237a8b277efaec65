/**
 * Page state for Heed: one rune class that owns the worker proxy. Components
 * read its fields and call its methods; nothing else talks to the worker.
 */
import * as Comlink from 'comlink';
import type { BackendChoice, BackendInfo } from '../engine/backend.ts';
import type { PresetName } from '../engine/config.ts';
import type { EvalPoint, Progress } from '../engine/train.ts';
import type { ModelInfo, ShippedModel, TrainerApi } from '../../workers/api.ts';
import { SAMPLE_TEXT } from '../data/sample.ts';

export class Heed {
  backend = $state<BackendInfo | null>(null);
  model = $state<ModelInfo | null>(null);
  busy = $state<'' | 'starting' | 'training' | 'generating' | 'loading'>('starting');
  paused = $state(false);
  error = $state('');
  notice = $state('');
  progress = $state<Progress | null>(null);
  evals = $state<EvalPoint[]>([]);
  prompt = $state('Write a haiku about autumn.');
  output = $state('');
  text = $state(SAMPLE_TEXT);
  preset = $state<PresetName>('tiny');
  iters = $state(150);
  temperature = $state(0.8);
  /** Wrap the prompt in the chat template (for instruction-tuned models). */
  chat = $state(false);
  seed = $state(1);

  private worker: Worker;
  private api: Comlink.Remote<TrainerApi>;

  constructor() {
    this.worker = new Worker(new URL('../../workers/trainer.worker.ts', import.meta.url), { type: 'module' });
    this.worker.addEventListener('error', (e) => (this.error = `The worker failed: ${e.message || 'unknown error'}`));
    this.api = Comlink.wrap<TrainerApi>(this.worker);
  }

  private async run<T>(what: Heed['busy'], f: () => Promise<T>): Promise<T | undefined> {
    this.error = '';
    this.notice = '';
    this.busy = what;
    try {
      return await f();
    } catch (e) {
      this.error = (e as Error).message ?? String(e);
      return undefined;
    } finally {
      this.busy = '';
      this.paused = false;
    }
  }

  shipped = $state<ShippedModel[]>([]);

  /** Start the worker's backend (`choice` overrides the automatic pick); open with the shipped base model. */
  start(choice: BackendChoice = 'auto') {
    return this.run('starting', async () => {
      this.backend = await this.api.init(choice);
      this.shipped = await this.api.shippedModels();
      this.model = (await this.api.modelInfo()) ?? (this.shipped.some((m) => m.name === 'base') ? await this.api.loadShipped('base') : null);
    });
  }

  loadShipped(name: string) {
    return this.run('loading', async () => {
      this.model = await this.api.loadShipped(name);
      this.notice = `Loaded the shipped ${name} model.`;
    });
  }

  pretrain(fromScratch = true) {
    this.evals = [];
    this.progress = null;
    return this.run('training', async () => {
      const r = await this.api.pretrain(
        { text: this.text, preset: this.preset, iters: this.iters, batchSize: 8, lr: 3e-3, seed: this.seed, evalEvery: 50, fromScratch },
        Comlink.proxy((p: Progress) => (this.progress = p)),
        Comlink.proxy((e: EvalPoint) => (this.evals = [...this.evals, e])),
      );
      this.model = await this.api.modelInfo();
      this.notice = r.reason === 'done' ? `Trained ${r.step} steps.` : r.reason === 'stopped' ? `Stopped at step ${r.step}.` : '';
      if (r.reason === 'nonfinite') this.error = r.message ?? 'Training stopped: the loss became NaN.';
    });
  }

  pause() {
    this.paused = true;
    void this.api.pause();
  }

  resume() {
    this.paused = false;
    void this.api.resume();
  }

  stop() {
    void this.api.stop();
  }

  generate() {
    this.output = '';
    return this.run('generating', async () => {
      await this.api.generate(
        { prompt: this.prompt, chat: this.chat, temperature: this.temperature, seed: this.seed, maxNewTokens: 120 },
        Comlink.proxy((e: { text: string }) => (this.output += e.text)),
      );
    });
  }

  loadFile(file: File) {
    return this.run('loading', async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      this.model = await this.api.loadCheckpoint(Comlink.transfer(bytes, [bytes.buffer]));
      this.notice = `Loaded ${file.name}.`;
    });
  }

  async exportFile(): Promise<Blob | undefined> {
    const bytes = await this.run('loading', () => this.api.exportCheckpoint());
    return bytes ? new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }) : undefined;
  }
}
