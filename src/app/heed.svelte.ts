/**
 * Page state for Heed: the rune class that owns the worker proxy. The
 * playground's parts (pretrain, tune, compare) are rune classes of their own
 * that act through it; components read fields and call methods, and nothing
 * else talks to the worker. Errors from the worker land in `error`, as text,
 * with `errorAt` naming the control that caused them (shown beside it).
 * "Your model" (trained here or loaded from a file) is autosaved by the
 * worker; a shipped model is never autosaved, so opening one keeps yours.
 */
import * as Comlink from 'comlink';
import type { BackendChoice, BackendInfo } from '../engine/backend.ts';
import type { AttentionView, ModelInfo, ShippedModel, TokenView, TrainerApi } from '../../workers/api.ts';
import * as storage from '../../workers/storage.ts';
import { Confirm } from './confirm.svelte.ts';

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
  /** A training run pressed but not yet handed to the worker (its data being made): Pause and Stop wait for it. */
  starting = $state(false);
  error = $state('');
  /** Where the error belongs: the control that caused it ('' = the page as a whole). */
  errorAt = $state('');
  notice = $state('');
  /** The shipped model on the page as it shipped, by name; null when the model is yours (trained or loaded here). */
  shippedName = $state<string | null>(null);
  readonly confirm = new Confirm();
  /** The run in progress, in plain words for the model line ("Pretraining a new tiny model from scratch"); '' when none. */
  running = $state('');
  /** A shipped model to open at start-up instead of the saved one (a lesson link fixes it); unknown names are said and ignored. */
  startWith: string | null = null;
  /** wasm threads asked for by the link (#threads=N); undefined: one per two logical cores where the page is cross-origin isolated. */
  threads: number | undefined = undefined;

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

  /** The model on the page is the person's own work (trained or loaded here), not a shipped one. */
  get yours(): boolean {
    return this.model !== null && this.shippedName === null;
  }

  /** Show an error beside the control `at` names. */
  fail(message: string, at = '') {
    this.error = message;
    this.errorAt = at;
  }

  /**
   * Ask before the person's own model is replaced (true: go ahead). A shipped
   * model is replaced without asking: it is one click away in the settings.
   */
  async mayReplace(by: string): Promise<boolean> {
    if (!this.yours) return true;
    const m = this.model!;
    return this.confirm.ask({
      title: 'Replace your model?',
      body: `${by} replaces the model you trained or loaded (${m.stage}, step ${m.step}). Export it first from the settings if you want to keep a copy.`,
      action: 'Replace my model',
    });
  }

  /** Run a worker call: one at a time, its error shown as text beside `at`, nothing else lost. */
  async run<T>(what: Busy, f: () => Promise<T>, at = ''): Promise<T | undefined> {
    this.error = '';
    this.notice = '';
    this.busy = what;
    try {
      return await f();
    } catch (e) {
      this.fail((e as Error).message ?? String(e), at);
      return undefined;
    } finally {
      this.busy = '';
      this.running = '';
      this.paused = false;
      this.starting = false;
    }
  }

  /**
   * Start the worker's backend (`choice` overrides the automatic pick). Opens
   * with the model already in the worker, else the autosaved one, else the
   * shipped base model.
   */
  start(choice: BackendChoice = this.backendChoice) {
    return this.run('starting', async () => {
      this.backend = await this.api.init(choice, { threads: this.threads });
      this.shipped = await this.api.shippedModels();
      const kept = await this.api.modelInfo(); // a backend switch keeps the model, and what it is
      if (kept) return void this.setModel(kept, this.shippedName);
      const fixed = this.startWith;
      if (fixed && this.shipped.some((m) => m.name === fixed)) return void this.setModel(await this.api.loadShipped(fixed), fixed);
      if (fixed) this.tell(`This link asks for a model named "${fixed}", which Heed does not ship; opened the usual one.`);
      const info = await this.restoreSaved();
      if (info || !this.shipped.some((m) => m.name === 'base')) return void this.setModel(info);
      this.setModel(await this.api.loadShipped('base'), 'base');
    }, 'settings');
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

  /** Drop the autosaved model and pairs (after asking); the page keeps what is loaded now. */
  async forgetSaved() {
    const ok = await this.confirm.ask({
      title: 'Forget your saved work?',
      body: 'This removes the model, the pairs and the ratings saved in this browser. The page keeps what it shows now until you reload.',
      action: 'Forget my saved work',
    });
    if (!ok) return;
    await Promise.all(['checkpoint', 'pairs', 'ratings'].map((k) => storage.remove(k))).catch(() => undefined);
    this.notice = 'Forgot the saved model, pairs and ratings: a reload opens the shipped base model and the default pairs.';
  }

  setModel(info: ModelInfo | null, shipped: string | null = null) {
    this.model = info;
    this.shippedName = info ? shipped : null;
    this.chat = Boolean(info && info.stage !== 'pretrain');
  }

  async refreshModel() {
    this.setModel(await this.api.modelInfo());
  }

  /** Open a shipped model (after asking, if yours is on the page); it is not autosaved, so your saved model stays. */
  async loadShipped(name: string) {
    if (!(await this.mayReplace(`Loading the shipped ${name} model`))) return;
    return this.run('loading', async () => {
      this.setModel(await this.api.loadShipped(name), name);
      this.notice = `Loaded the shipped ${name} model. Your own saved model, if any, stays saved: a reload brings it back.`;
    }, 'settings');
  }

  // While a pressed run is still `starting`, the worker has no run to pause or stop: these wait (do nothing).
  pause() {
    if (this.starting) return;
    this.paused = true;
    void this.api.pause();
  }

  resume() {
    if (this.starting) return;
    this.paused = false;
    void this.api.resume();
  }

  stop() {
    if (this.starting) return;
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
    }, 'ask');
  }

  /** Show what the model attended to when it wrote generated token `index`. */
  showAttention(index: number) {
    this.chosen = index;
    return this.run('loading', async () => {
      this.attention = await this.api.attention({ prompt: this.prompt, chat: this.chat, generated: this.output, index });
    }, 'ask');
  }

  async loadFile(file: File) {
    if (!(await this.mayReplace(`Loading ${file.name}`))) return;
    return this.run('loading', async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      this.setModel(await this.api.loadCheckpoint(Comlink.transfer(bytes, [bytes.buffer])));
      await this.autosave();
      this.notice = `Loaded ${file.name}.`;
    }, 'settings');
  }

  async exportBytes(): Promise<Uint8Array | undefined> {
    return this.run('loading', () => this.api.exportCheckpoint(), 'settings');
  }

  /** The model for PyTorch and Hugging Face transformers: one .zip, made in the worker. */
  async exportPyTorchBytes(): Promise<Uint8Array | undefined> {
    return this.run('loading', () => this.api.exportPyTorch(), 'settings');
  }
}
