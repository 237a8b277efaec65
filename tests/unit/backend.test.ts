import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { initBackend } from '../../src/engine/backend.ts';
import { type ProbeSize, type SpeedProbe, fastest, speedReason, trainingSpeed } from '../../src/engine/speedProbe.ts';
import { MAX_WASM_THREADS, planWasmThreads } from '../../src/engine/wasmThreads.ts';

tf.env().set('PROD', true); // no "install tfjs-node" banner

/** A probe small enough for a unit test; the page's is `small` at 8 x 128. */
const TINY: ProbeSize = { preset: 'tiny', batchSize: 2, blockSize: 16, warmup: 1, steps: 2 };

test('auto times training steps on WebGPU and wasm, picks what trained, and says so in tokens/s', async () => {
  const info = await initBackend('auto', { probe: TINY });
  expect(info.name).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
  expect(info.probes.map((p) => p.name)).toEqual(['webgpu', 'wasm']);
  expect(info.probes[0].error).toMatch(/not available/);
  expect(info.tokensPerSec).toBeGreaterThan(0);
  expect(info.reason).toMatch(/^fastest at training steps .*: wasm [\d,]+ tokens\/s \(the only one that trained here\); WebGPU is not available in this environment$/);
  expect(info.threads).toEqual({ threads: 1, reason: expect.stringMatching(/outside a browser/) });
});

test('the speed probe leaves no tensor behind, when it trains and when it fails', async () => {
  await initBackend('wasm');
  const before = tf.memory().numTensors;
  expect(await trainingSpeed(TINY)).toBeGreaterThan(0);
  expect(tf.memory().numTensors).toBe(before);
  // A window longer than the model's block fails inside the first step.
  await expect(trainingSpeed({ ...TINY, blockSize: 64 })).rejects.toThrow();
  expect(tf.memory().numTensors).toBe(before);
});

test('explicit choices are honoured or refused with a message', async () => {
  expect((await initBackend('cpu')).name).toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  await expect(initBackend('webgpu')).rejects.toThrow(/webgpu is not available/);
  await expect(initBackend('tpu' as never)).rejects.toThrow(/unknown backend/);
});

test('the fastest backend at training wins, and the reason gives both rates', () => {
  const probes: SpeedProbe[] = [
    { name: 'webgpu', tokensPerSec: 5200.4, adapter: 'nvidia ampere' },
    { name: 'wasm', tokensPerSec: 4100 },
  ];
  expect(fastest(probes)!.name).toBe('webgpu');
  expect(speedReason(fastest(probes)!, probes)).toBe('fastest at training steps of the shipped model size: WebGPU 5,200 tokens/s vs wasm 4,100');
  const slowGpu = [{ ...probes[0], tokensPerSec: 900 }, probes[1]];
  expect(fastest(slowGpu)!.name).toBe('wasm');
  expect(speedReason(fastest(slowGpu)!, slowGpu)).toMatch(/: wasm 4,100 tokens\/s vs WebGPU 900$/);
});

test('a backend that was not timed or failed is never chosen, and its reason is said', () => {
  const probes: SpeedProbe[] = [
    { name: 'webgpu', software: true, skipped: 'not timed: a software adapter (google swiftshader)' },
    { name: 'wasm', tokensPerSec: 3000 },
  ];
  expect(fastest(probes)!.name).toBe('wasm');
  expect(speedReason(probes[1], probes)).toMatch(/wasm 3,000 tokens\/s \(the only one that trained here\); WebGPU not timed: a software adapter/);
  expect(fastest([{ name: 'wasm', error: 'could not train (out of memory)' }])).toBeUndefined();
});

test('wasm threads: one per two logical cores where the page is cross-origin isolated, else one with the reason', () => {
  expect(planWasmThreads({ isolated: false, cores: 8 })).toEqual({ threads: 1, reason: expect.stringMatching(/not cross-origin isolated .*Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/) });
  expect(planWasmThreads({ isolated: true, cores: 8 })).toEqual({ threads: 4, reason: '4 threads (cross-origin isolated; one per two of 8 logical cores)' });
  expect(planWasmThreads({ isolated: true, cores: 4 }).threads).toBe(2);
  expect(planWasmThreads({ isolated: true, cores: 2 })).toEqual({ threads: 1, reason: expect.stringMatching(/^one thread: 2 logical cores, and the page needs one \(#threads=2/) });
  expect(planWasmThreads({ isolated: true, cores: 64 }).threads).toBe(MAX_WASM_THREADS);
  expect(planWasmThreads({ isolated: true, cores: undefined }).threads).toBe(1);
  expect(planWasmThreads({ isolated: true, cores: 8, requested: 1 })).toEqual({ threads: 1, reason: 'one thread, as asked' });
  expect(planWasmThreads({ isolated: true, cores: 2, requested: 2 })).toEqual({ threads: 2, reason: '2 threads, as asked (2 logical cores)' });
  expect(planWasmThreads({ isolated: true, cores: 2, requested: 99 }).threads).toBe(MAX_WASM_THREADS);
  expect(planWasmThreads({ isolated: false, cores: 8, requested: 4 }).threads).toBe(1); // no shared memory, whatever is asked
  expect(planWasmThreads({ isolated: undefined, cores: 8 }).threads).toBe(1);
});
