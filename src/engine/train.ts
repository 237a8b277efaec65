/**
 * One training loop for every stage (pretrain, SFT, preference stages).
 *
 * Like minGPT's trainer it knows nothing about what it trains: a `Stage`
 * supplies a batch and a loss, the loop does gradients, clipping, AdamW, the
 * schedule, evaluation, pause/resume/stop and progress callbacks.
 *
 * Every step reads back two numbers (loss and gradient norm) before the
 * update is applied, so a NaN or Inf stops training with the weights and the
 * optimiser state of the last good step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from './model.ts';
import { AdamW, type AdamWOptions, type Schedule, clipScale, globalNorm, learningRate } from './optim.ts';

/** What the loop trains: anything with variables (a GPT, a reward model). */
export interface Trainable {
  readonly trainableVariables: tf.Variable[];
}

/** What a stage gives the loop. Batch tensors are disposed by the loop after each step. */
export interface Stage<B extends { [k: string]: tf.Tensor } = { [k: string]: tf.Tensor }, M extends Trainable = GPT> {
  name: string;
  /** Tokens one step processes, for tokens/s. */
  tokensPerStep: number;
  nextBatch(step: number): B;
  /** The scalar to minimise, built from the model's variables. */
  loss(model: M, batch: B): tf.Scalar;
  /** Metrics for the eval line, e.g. { trainLoss, valLoss }. */
  evaluate?(model: M): Promise<Record<string, number>>;
}

export interface TrainOptions {
  iters: number;
  schedule: Schedule;
  adamw?: Partial<AdamWOptions>;
  clip: number; // max global gradient norm; 0 disables
  evalEvery?: number; // 0 or undefined: only at the end
  logEvery?: number; // progress callback period in steps (default 1)
  startStep?: number;
  control?: TrainControl;
  optimizer?: AdamW; // pass one to keep moments across runs (resume)
  onProgress?: (p: Progress) => void;
  /** Awaited: a hook may read the model (a probe) before training goes on. */
  onEval?: (e: EvalPoint) => void | Promise<void>;
}

export interface Progress {
  stage: string;
  step: number; // steps completed
  iters: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokensPerSec: number;
  msPerStep: number;
  elapsedMs: number;
}

export interface EvalPoint {
  step: number;
  [metric: string]: number;
}

export type StopReason = 'done' | 'stopped' | 'nonfinite';

/** Thrown by callers that turn a 'nonfinite' stop into an exception (RL's step), so it can be told from other errors. */
export class NonFiniteError extends Error {
  override name = 'NonFiniteError';
}

export interface TrainResult {
  reason: StopReason;
  step: number; // steps completed (the weights are from this step)
  lastLoss: number;
  message?: string;
  lastEval?: EvalPoint;
  optimizer: AdamW;
}

/** Pause, resume and stop a running loop from outside (a worker message, a key press). */
export class TrainControl {
  private pausedResolve: (() => void) | null = null;
  private pausedPromise: Promise<void> | null = null;
  stopped = false;

  get paused(): boolean {
    return this.pausedPromise !== null;
  }

  pause(): void {
    if (!this.pausedPromise) this.pausedPromise = new Promise((r) => (this.pausedResolve = r));
  }

  resume(): void {
    this.pausedResolve?.();
    this.pausedPromise = this.pausedResolve = null;
  }

  stop(): void {
    this.stopped = true;
    this.resume();
  }

  /** Wait while paused; true when the loop should stop. */
  async gate(): Promise<boolean> {
    while (this.pausedPromise && !this.stopped) await this.pausedPromise;
    return this.stopped;
  }
}

/** Let other tasks (worker messages, timers) run; cheaper than setTimeout(0) in a browser. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (g.setImmediate) return new Promise((r) => g.setImmediate!(r));
  if (typeof MessageChannel !== 'undefined') {
    return new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        r();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

export async function train<B extends { [k: string]: tf.Tensor }, M extends Trainable = GPT>(
  model: M,
  stage: Stage<B, M>,
  opts: TrainOptions,
): Promise<TrainResult> {
  const control = opts.control ?? new TrainControl();
  const optimizer = opts.optimizer ?? new AdamW(opts.adamw);
  const vars = model.trainableVariables;
  const logEvery = Math.max(1, opts.logEvery ?? 1);
  let step = opts.startStep ?? 0;
  let lastLoss = NaN;
  let lastEval: EvalPoint | undefined;
  const t0 = performance.now();
  let windowStart = t0;
  let windowSteps = 0;
  let lastYield = t0;

  const runEval = async () => {
    if (!stage.evaluate) return;
    lastEval = { step, ...(await stage.evaluate(model)) };
    await opts.onEval?.(lastEval);
  };

  while (step < opts.iters) {
    if (await control.gate()) return { reason: 'stopped', step, lastLoss, lastEval, optimizer };
    const lr = learningRate(step, opts.schedule);
    const batch = stage.nextBatch(step);
    const { value, grads } = tf.variableGrads(() => stage.loss(model, batch), vars);
    const gradList = vars.map((v) => grads[v.name]);
    const norm = globalNorm(gradList);
    const both = tf.stack([value, norm]);
    const [lossValue, normValue] = await both.data();
    both.dispose();
    tf.dispose(batch);
    value.dispose();
    if (!Number.isFinite(lossValue) || !Number.isFinite(normValue)) {
      tf.dispose([norm, ...gradList]);
      const what = Number.isFinite(lossValue) ? `gradient norm is ${normValue}` : `loss is ${lossValue}`;
      return {
        reason: 'nonfinite',
        step,
        lastLoss,
        lastEval,
        optimizer,
        message: `${stage.name}: ${what} at step ${step + 1}; training stopped, weights kept from step ${step}. Try a lower learning rate.`,
      };
    }
    const scale = opts.clip > 0 ? clipScale(norm, opts.clip) : undefined; // applied inside the update
    optimizer.apply(vars, gradList, lr, scale);
    tf.dispose([norm, ...gradList]);
    scale?.dispose();
    step++;
    windowSteps++;
    lastLoss = lossValue;

    const now = performance.now();
    if (step % logEvery === 0 || step === opts.iters) {
      const ms = (now - windowStart) / windowSteps;
      opts.onProgress?.({
        stage: stage.name,
        step,
        iters: opts.iters,
        loss: lossValue,
        lr,
        gradNorm: normValue,
        tokensPerSec: (stage.tokensPerStep * 1000) / ms,
        msPerStep: ms,
        elapsedMs: now - t0,
      });
      windowStart = now;
      windowSteps = 0;
    }
    if (opts.evalEvery && step % opts.evalEvery === 0 && step !== opts.iters) {
      await runEval();
      windowStart = performance.now(); // keep evaluation out of ms/step
    }
    if (now - lastYield > 30) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  await runEval();
  return { reason: 'done', step, lastLoss, lastEval, optimizer };
}

/**
 * One run of `opts.iters` steps in chunks of `every`, with `between(result)` after each chunk (the last
 * too); `between` returns true to stop early. The schedule is by absolute step and the optimiser is
 * carried, so the weights are those of one `train` call. For checkpoints or evaluations along a run.
 */
export async function trainInChunks<B extends { [k: string]: tf.Tensor }, M extends Trainable = GPT>(
  model: M,
  stage: Stage<B, M>,
  opts: TrainOptions & { every: number },
  between: (r: TrainResult) => Promise<boolean | void>,
): Promise<TrainResult> {
  const { every, ...rest } = opts;
  let result: TrainResult | undefined;
  for (;;) {
    const from = result?.step ?? opts.startStep ?? 0;
    result = await train(model, stage, { ...rest, iters: Math.min(opts.iters, from + every), startStep: from, optimizer: result?.optimizer ?? opts.optimizer });
    if (result.reason !== 'done' || (await between(result)) || result.step >= opts.iters) return result;
  }
}
