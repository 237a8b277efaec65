/**
 * AdamW, global-norm clipping and the learning-rate schedule.
 *
 * TF.js has no AdamW, and its Adam's default epsilon differs per backend, so
 * this is written out: decoupled weight decay (applied to matrices and
 * embeddings only, never to biases or LayerNorm gains, as nanoGPT does), bias
 * correction, and an explicit epsilon. Clipping and the update run without
 * reading anything back to the CPU.
 */
import * as tf from '@tensorflow/tfjs-core';
import { adamwAll, adamwStep } from './kernels/adamw.ts';
import { globalNormKernel } from './kernels/globalNorm.ts';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWOptions = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 };

interface Slot {
  m: tf.Variable;
  v: tf.Variable;
  decay: boolean;
}

export class AdamW {
  readonly opts: AdamWOptions;
  private slots = new Map<tf.Variable, Slot>();
  step = 0;

  constructor(opts: Partial<AdamWOptions> = {}) {
    this.opts = { ...ADAMW_DEFAULTS, ...opts };
  }

  private slot(v: tf.Variable): Slot {
    let s = this.slots.get(v);
    if (!s) {
      s = {
        m: tf.variable(tf.zerosLike(v), false),
        v: tf.variable(tf.zerosLike(v), false),
        decay: v.rank >= 2,
      };
      this.slots.set(v, s);
    }
    return s;
  }

  /**
   * Apply one update with learning rate lr, the gradients first multiplied by
   * `scale` (the clip factor; 1 when absent). Grads are disposed by the caller.
   */
  apply(vars: tf.Variable[], grads: tf.Tensor[], lr: number, scale?: tf.Scalar): void {
    this.step++;
    const { beta1, beta2, eps, weightDecay } = this.opts;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      const k = scale ?? tf.scalar(1);
      const slots = vars.map((p) => this.slot(p));
      const decays = slots.map((s) => (s.decay && weightDecay > 0 ? 1 - lr * weightDecay : 1));
      const a = { lr, beta1, beta2, eps, bc1, bc2 };
      const all = adamwAll(vars, grads, slots.map((s) => s.m), slots.map((s) => s.v), k, a, decays);
      vars.forEach((p, i) => {
        const [p1, m1, v1] = all?.[i] ?? adamwStep(p, grads[i], slots[i].m, slots[i].v, k, { ...a, decay: decays[i] });
        slots[i].m.assign(m1);
        slots[i].v.assign(v1);
        p.assign(p1);
      });
    });
  }

  dispose(): void {
    for (const s of this.slots.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.slots.clear();
  }
}

/** Global L2 norm of a list of gradients, as a scalar tensor (no readback): one kernel (kernels/globalNorm.ts). */
export function globalNorm(grads: tf.Tensor[]): tf.Scalar {
  return globalNormKernel(grads);
}

/**
 * The factor that brings gradients to a global norm of at most maxNorm
 * (PyTorch's clip_grad_norm_): min(1, maxNorm / (norm + 1e-6)), as a tensor.
 */
export function clipScale(norm: tf.Scalar, maxNorm: number): tf.Scalar {
  return tf.tidy(() => tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))));
}

export interface Schedule {
  lr: number; // peak learning rate
  minLr: number; // floor at the end of the cosine
  warmup: number; // linear warm-up steps
  decaySteps: number; // step at which the cosine reaches minLr
}

/**
 * The schedule every stage uses: cosine from `lr` to a tenth of it over
 * `decaySteps` (default `iters`), after a warm-up of a tenth of the run capped at `maxWarmup`.
 */
export function tenthCosine(lr: number, iters: number, maxWarmup: number, decaySteps = iters): Schedule {
  return { lr, minLr: lr / 10, warmup: Math.min(maxWarmup, Math.floor(iters / 10)), decaySteps };
}

/** Linear warm-up then cosine decay to minLr (nanoGPT's get_lr). step counts from 0. */
export function learningRate(step: number, s: Schedule): number {
  if (step < s.warmup) return (s.lr * (step + 1)) / (s.warmup + 1);
  if (step >= s.decaySteps) return s.minLr;
  const ratio = (step - s.warmup) / Math.max(1, s.decaySteps - s.warmup);
  return s.minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (s.lr - s.minLr);
}
