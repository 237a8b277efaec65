/**
 * Page state for Heed: the rune class that owns the worker proxy. The
 * playground's parts (pretrain, tune, compare) are rune classes of their own
 * that act through it; components read fields and call methods, and nothing
 * else talks to the worker. Errors from the worker land in `error`, as text.
 */
import * as Comlink from 'comlink';
import type { BackendChoice, BackendInfo } from '../engine/backend.ts';
import type { AttentionView, ModelInfo, ShippedModel, TokenView, TrainerApi } from '../../workers/api.ts';
import * as storage from '../../workers/storage.ts';

/**
 * A callback for the worker. It returns nothing: comlink sends a callback's
 * return value back, and a rune's proxy cannot be cloned.
 */
export function callback<A extends unknown[]>(f: (...args: A) => unknown) {
  return Comlink.proxy((...args: A) => {
    f(...args);
  });
}

export type Busy = '' | 'starting' | 'training' | 'generating' | 'loading' | 'evaluating';

export const PRESET_PROMPTS = [
  'Write a haiku about autumn.',
  'Moss - give me a haiku.',
  'Owl: answer in 3 bullets.',
  'In precisely 2 lines, tell me about lotus.',
  'Lemon in a word?',
  'Describe the comet. Use only lowercase letters.',
];

export class Heed {
  backend = $state<BackendInfo | null>(null);
  backendChoice = $state<BackendChoice>('auto');
  model = $state<ModelInfo | null>(null);
  shipped = $state<ShippedModel[]>([]);
  busy = $state<Busy>('starting');
  paused = $state(false);
  error = $state('');
  notice = $state('');

  prompt = $state(PRESET_PROMPTS[0]);
  /** Wrap the prompt in the chat template; by default, when the model is tuned. */
  chat = $state(false);
  temperature = $state(0);
  seed = $state(1);
  tokens = $state<TokenView[]>([]);
  finish = $state('');
  promptTokens = $state<string[]>([]);
  chosen = $state(-1); // the generated token whose attention is shown
  attention = $state<AttentionView | null>(null);

  readonly api: Comlink.Remote<TrainerApi>;
  private worker: Worker;

  constructor() {
    this.worker = new Worker(new URL('../../workers/trainer.worker.ts', import.meta.url), { type: 'module' });
    this.worker.addEventListener('error', (e) => (this.error = `The worker failed: ${e.message || 'unknown error'}`));
    this.api = Comlink.wrap<TrainerApi>(this.worker);
  }

  /** Add to the notice: the restores at start-up each have something to say, and none should hide another. */
  tell(message: string) {
    this.notice = this.notice ? `${this.notice} ${message}` : message;
  }

  get output(): string {
    return this.tokens.map((t) => t.text).join('');
  }

  /** Run a worker call: one at a time, its error shown as text, nothing else lost. */
  async run<T>(what: Busy, f: () => Promise<T>): Promise<T | undefined> {
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

  /**
   * Start the worker's backend (`choice` overrides the automatic pick). Opens
   * with the model already in the worker, else the autosaved one, else the
   * shipped base model.
   */
  start(choice: BackendChoice = this.backendChoice) {
    return this.run('starting', async () => {
      this.backend = await this.api.init(choice);
      this.shipped = await this.api.shippedModels();
      let info = await this.api.modelInfo();
      if (!info) info = await this.restoreSaved();
      if (!info && this.shipped.some((m) => m.name === 'base')) info = await this.api.loadShipped('base');
      this.setModel(info);
    });
  }

  private async restoreSaved(): Promise<ModelInfo | null> {
    try {
      const info = await this.api.restoreSaved();
      if (!info) return null;
      this.tell(`Restored your saved model (${info.stage}, step ${info.step}).`);
      return info;
    } catch (e) {
      this.tell(`Your saved model could not be restored (${(e as Error).message}); opened the shipped base model instead ("Forget saved work" removes it).`);
      return null;
    }
  }

  /** Keep the current model in the browser's storage, so a reload restores it. */
  async autosave() {
    try {
      await this.api.autosave();
    } catch (e) {
      this.notice = `Not saved in the browser: ${(e as Error).message}`;
    }
  }

  /** Drop the autosaved model and pairs; the page keeps what is loaded now. */
  async forgetSaved() {
    await Promise.all(['checkpoint', 'pairs', 'ratings'].map((k) => storage.remove(k))).catch(() => undefined);
    this.notice = 'Forgot the saved model, pairs and ratings: a reload opens the shipped base model and the default pairs.';
  }

  setModel(info: ModelInfo | null) {
    this.model = info;
    this.chat = Boolean(info && info.stage !== 'pretrain');
  }

  async refreshModel() {
    this.setModel(await this.api.modelInfo());
  }

  loadShipped(name: string) {
    return this.run('loading', async () => {
      this.setModel(await this.api.loadShipped(name));
      await this.autosave();
      this.notice = `Loaded the shipped ${name} model.`;
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
    this.tokens = [];
    this.finish = '';
    this.chosen = -1;
    this.attention = null;
    return this.run('generating', async () => {
      this.promptTokens = await this.api.tokenize(this.prompt);
      const r = await this.api.generate(
        { prompt: this.prompt, chat: this.chat, temperature: this.temperature, seed: this.seed, maxNewTokens: 120, topCandidates: 5 },
        callback((e: TokenView) => (this.tokens = [...this.tokens, e])),
      );
      this.finish = r.finish;
    });
  }

  /** Show what the model attended to when it wrote generated token `index`. */
  showAttention(index: number) {
    this.chosen = index;
    return this.run('loading', async () => {
      this.attention = await this.api.attention({ prompt: this.prompt, chat: this.chat, generated: this.output, index });
    });
  }

  loadFile(file: File) {
    return this.run('loading', async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      this.setModel(await this.api.loadCheckpoint(Comlink.transfer(bytes, [bytes.buffer])));
      await this.autosave();
      this.notice = `Loaded ${file.name}.`;
    });
  }

  async exportBytes(): Promise<Uint8Array | undefined> {
    return this.run('loading', () => this.api.exportCheckpoint());
  }

  /** The model for PyTorch and Hugging Face transformers: one .zip, made in the worker. */
  async exportPyTorchBytes(): Promise<Uint8Array | undefined> {
    return this.run('loading', () => this.api.exportPyTorch());
  }
}
