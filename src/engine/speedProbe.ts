/**
 * How `auto` picks a backend: a few real training steps of the model the
 * page trains, timed on each candidate, and the fastest in tokens/s wins.
 *
 * A training step, not a matMul: at Heed's sizes a step costs per kernel
 * (~hundreds of small kernels, AdamW, readbacks), so a 256x256 matMul probe
 * ranked a GPU well above where its training steps land. The probe is
 * `small` (the shipped models' shape) at batch 8 x 128 tokens, one warm-up
 * step (shader compilation on WebGPU) and three timed ones: 2-4 seconds on
 * wasm on a 2-core machine, in the worker, before the first model loads. Its model, optimiser and any tensor a failed step left are
 * disposed, so tensors stay flat.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type PresetName, presetConfig } from './config.ts';
import { GPT } from './model.ts';
import { formatRate } from './numbers.ts';
import { AdamW } from './optim.ts';
import { pretrainStage } from './pretrain.ts';
import { Rng } from './rng.ts';
import { train } from './train.ts';

export interface ProbeSize {
  preset: PresetName;
  batchSize: number;
  blockSize: number;
  warmup: number;
  steps: number;
}

/** The page's probe: the shipped size at an instruction-tuning batch (SFT's 8 pairs, 128 tokens each). */
export const PAGE_PROBE: ProbeSize = { preset: 'small', batchSize: 8, blockSize: 128, warmup: 1, steps: 3 };

/** One backend's result: tokens/s when it trained; otherwise why not (`error`) or why it was not timed (`skipped`). */
export interface SpeedProbe {
  name: string;
  tokensPerSec?: number;
  software?: boolean;
  adapter?: string;
  error?: string;
  skipped?: string;
}

const VOCAB = 100; // about a character tokenizer's size; the vocabulary barely moves a step's time

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Tokens/s of `size.steps` pretraining steps on the active backend, after `size.warmup` untimed ones. */
export async function trainingSpeed(size: ProbeSize = PAGE_PROBE): Promise<number> {
  const rng = new Rng(1);
  const tokens = Int32Array.from({ length: size.batchSize * size.blockSize * 4 }, () => rng.int(VOCAB));
  const stage = { ...pretrainStage({ train: tokens, val: tokens }, { batchSize: size.batchSize, blockSize: size.blockSize, seed: 1 }), evaluate: undefined };
  const model = GPT.create(presetConfig(size.preset, VOCAB), 1);
  const optimizer = new AdamW(); // Heed's own AdamW: the same epsilon on every backend
  const ms: number[] = [];
  // A step that throws leaves its batch behind; the scope takes it. Nothing else makes tensors while the
  // backend is being chosen, so the scope holds the probe's tensors only.
  tf.engine().startScope();
  try {
    await train(model, stage, {
      iters: size.warmup + size.steps, clip: 1, optimizer,
      schedule: { lr: 1e-4, minLr: 1e-5, warmup: 0, decaySteps: 100 },
      onProgress: (p) => void (p.step > size.warmup && ms.push(p.msPerStep)),
    });
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.engine().endScope();
  }
  if (!ms.length) throw new Error('the speed probe timed no step');
  return (size.batchSize * size.blockSize * 1000) / median(ms);
}

const LABEL: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm', cpu: 'cpu' };
export const backendLabel = (name: string) => LABEL[name] ?? name;

/** The fastest probe that trained, or undefined when none did. */
export function fastest<P extends SpeedProbe>(probes: P[]): P | undefined {
  return probes.filter((p) => p.tokensPerSec !== undefined).reduce<P | undefined>((a, b) => (!a || b.tokensPerSec! > a.tokensPerSec! ? b : a), undefined);
}

/** Why `best` was picked, in tokens/s: "fastest at training steps of the shipped model size: WebGPU 5,200 tokens/s vs wasm 4,100". */
export function speedReason(best: SpeedProbe, probes: SpeedProbe[]): string {
  const others = probes.filter((p) => p !== best && p.tokensPerSec !== undefined).map((p) => `${backendLabel(p.name)} ${formatRate(p.tokensPerSec!)}`);
  const notTimed = probes.filter((p) => p.tokensPerSec === undefined).map((p) => `${backendLabel(p.name)} ${p.skipped ?? p.error}`);
  return `fastest at training steps of the shipped model size: ${backendLabel(best.name)} ${formatRate(best.tokensPerSec!)} tokens/s` +
    (others.length ? ` vs ${others.join(', ')}` : ' (the only one that trained here)') + (notTimed.length ? `; ${notTimed.join('; ')}` : '');
}
