/** Shared set-up for engine tests: a backend, a tiny config, tensor helpers. */
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, initBackend } from '../../src/engine/backend.ts';
import type { GPTConfig } from '../../src/engine/config.ts';
import type { GPT } from '../../src/engine/model.ts';
import { installNodeWebGpu } from '../../scripts/lib/webgpu.ts';

export async function useBackend(name: BackendName): Promise<void> {
  tf.env().set('PROD', true);
  if (name === 'webgpu') installNodeWebGpu();
  if (tf.getBackend() !== name) await initBackend(name);
}

/**
 * Backends Heed's own kernels are tested on: cpu and wasm always, WebGPU where
 * DAWN_NODE names a dawn.node (a software adapter is enough; see ../shared/GPU.md).
 */
export const KERNEL_BACKENDS: BackendName[] = ['cpu', 'wasm', ...(process.env.DAWN_NODE ? ['webgpu' as const] : [])];

/** Smallest model that still has every part: 2 layers, 2 heads. */
export const MICRO: GPTConfig = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };

export async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * After the same run kept whole (`full`) and kept half (`half`) from one
 * start: every token-embedding weight of `half` is the mean of `full`'s and
 * `start`'s. Returns how far the run moved the weights (so a test can check
 * it moved at all).
 */
export async function halfwayMoved(full: GPT, half: GPT, start: GPT): Promise<number> {
  const [f, h, s] = await Promise.all([full, half, start].map((m) => m.weights.get('wte')!.data()));
  for (let i = 0; i < f.length; i++) if (Math.abs(h[i] - (f[i] + s[i]) / 2) > 1e-5) throw new Error(`weight ${i}: ${h[i]} is not the mean of ${f[i]} and ${s[i]}`);
  return maxAbsDiff(f, s);
}
