import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { chooseBackend, initBackend } from '../../src/engine/backend.ts';

tf.env().set('PROD', true); // no "install tfjs-node" banner

test('auto probes every backend Node has and picks wasm over cpu, saying why', async () => {
  const info = await initBackend('auto');
  expect(info.name).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
  expect(info.reason).toMatch(/GFLOP\/s/);
  const names = info.probes.map((p) => p.name);
  expect(names).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  expect(info.probes.find((p) => p.name === 'webgpu')!.error).toMatch(/not available/);
  const [wasm, cpu] = ['wasm', 'cpu'].map((n) => info.probes.find((p) => p.name === n)!.gflops!);
  expect(wasm).toBeGreaterThan(cpu);
});

test('explicit choices are honoured or refused with a message', async () => {
  expect((await initBackend('cpu')).name).toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  await expect(initBackend('webgpu')).rejects.toThrow(/webgpu is not available/);
  await expect(initBackend('tpu' as never)).rejects.toThrow(/unknown backend/);
});

test('a software WebGPU adapter never wins auto while a real backend works', () => {
  const probes = [
    { name: 'webgpu' as const, gflops: 90, software: true },
    { name: 'wasm' as const, gflops: 28 },
    { name: 'cpu' as const, gflops: 1 },
  ];
  expect(chooseBackend(probes).name).toBe('wasm');
  expect(chooseBackend([{ ...probes[0], software: false }, probes[1]]).name).toBe('webgpu');
  expect(chooseBackend([probes[0], { name: 'wasm', error: 'no wasm' }]).name).toBe('webgpu'); // last resort
  expect(() => chooseBackend([{ name: 'cpu', error: 'x' }])).toThrow(/no TF.js backend/);
});
