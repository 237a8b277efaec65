/**
 * Choose and initialise a TF.js backend, and say why.
 *
 * `auto` times a short matMul probe on every backend that initialises here
 * and takes the fastest real one. A software WebGPU adapter (SwiftShader,
 * `isFallbackAdapter`) is probed and reported but never chosen by `auto`
 * while another backend works: it is ~50x slower than wasm. An explicit choice
 * is honoured or fails with a message. WebGL and WebGPU are imported only
 * where they can exist, so Node never loads them by accident.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { enableWasmBatchMatMul } from './kernels/bmm.ts';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

export interface Probe {
  name: BackendName;
  gflops?: number;
  software?: boolean;
  adapter?: string;
  error?: string;
}

export interface BackendInfo {
  name: BackendName;
  reason: string;
  probes: Probe[];
}

export interface BackendOptions {
  /** Where the wasm binaries are served from (a folder URL or one URL per file); the browser needs this. */
  wasmPaths?: string | Record<string, string>;
}

interface GpuAdapterLike {
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
  isFallbackAdapter?: boolean;
}

async function describeWebGpuAdapter(): Promise<{ software: boolean; adapter: string } | null> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } }).navigator?.gpu;
  if (!gpu) return null;
  const a = await gpu.requestAdapter();
  if (!a) return null;
  const info = a.info ?? {};
  const text = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  const software = Boolean(info.isFallbackAdapter ?? a.isFallbackAdapter) || /swiftshader|llvmpipe|software/i.test(text);
  return { software, adapter: text || 'unknown adapter' };
}

const registered = new Set<string>();

/** Make a backend available to tf.setBackend; false when it cannot exist here. */
async function register(name: BackendName, opts: BackendOptions): Promise<boolean> {
  if (registered.has(name)) return true;
  if (name === 'wasm') {
    // Threaded wasm hangs in a minified build under cross-origin isolation; one thread is reliable.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (opts.wasmPaths) setWasmPaths(opts.wasmPaths as string);
  } else if (name === 'webgl') {
    const hasGl = typeof OffscreenCanvas !== 'undefined' || typeof document !== 'undefined';
    if (!hasGl) return false;
    await import('@tensorflow/tfjs-backend-webgl');
  } else if (name === 'webgpu') {
    if (!(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) return false;
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  registered.add(name);
  return tf.findBackendFactory(name) !== null;
}

async function activate(name: BackendName, opts: BackendOptions): Promise<string | null> {
  try {
    if (!(await register(name, opts))) return `${name} is not available in this environment`;
    if (!(await tf.setBackend(name))) return `${name} failed to initialise`;
    await tf.ready();
    if (name === 'wasm') await enableWasmBatchMatMul();
    return null;
  } catch (e) {
    return `${name} failed to initialise: ${(e as Error).message}`;
  }
}

/** GFLOP/s of a 256x256 matMul on the active backend, after a warm-up. */
async function timeMatMul(): Promise<number> {
  const n = 256;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const once = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  await once();
  await once();
  let reps = 0;
  const t0 = performance.now();
  while (reps < 20 && performance.now() - t0 < 150) {
    await once();
    reps++;
  }
  const ms = (performance.now() - t0) / reps;
  tf.dispose([a, b]);
  return (2 * n ** 3) / (ms * 1e6);
}

/**
 * The fastest probed backend, never a software WebGPU adapter while a real
 * backend works (its matMul probe can look fine while whole steps crawl).
 */
export function chooseBackend(probes: Probe[]): Probe {
  const usable = probes.filter((p) => p.gflops !== undefined);
  const real = usable.filter((p) => !p.software);
  const pool = real.length ? real : usable;
  if (!pool.length) throw new Error('no TF.js backend could be initialised');
  return pool.reduce((a, b) => (b.gflops! > a.gflops! ? b : a));
}

export async function initBackend(choice: BackendChoice = 'auto', opts: BackendOptions = {}): Promise<BackendInfo> {
  if (choice !== 'auto') {
    if (!BACKENDS.includes(choice)) throw new Error(`unknown backend "${choice}" (choose auto, ${BACKENDS.join(', ')})`);
    const err = await activate(choice, opts);
    if (err) throw new Error(err);
    const gpu = choice === 'webgpu' ? await describeWebGpuAdapter() : null;
    const note = gpu ? ` (${gpu.software ? 'software adapter: ' : ''}${gpu.adapter})` : '';
    return { name: choice, reason: `chosen explicitly${note}`, probes: [] };
  }
  const probes: Probe[] = [];
  for (const name of BACKENDS) {
    const err = await activate(name, opts);
    if (err) {
      probes.push({ name, error: err });
      continue;
    }
    const probe: Probe = { name, gflops: await timeMatMul() };
    if (name === 'webgpu') Object.assign(probe, await describeWebGpuAdapter());
    probes.push(probe);
  }
  const best = chooseBackend(probes);
  const err = await activate(best.name, opts);
  if (err) throw new Error(err);
  const others = probes
    .filter((p) => p.gflops !== undefined)
    .filter((p) => p !== best)
    .map((p) => `${p.name}${p.software ? ' (software adapter)' : ''} ${p.gflops!.toFixed(1)}`)
    .join(', ');
  const soft = best.software ? ' (a software adapter: nothing faster works here)' : '';
  const reason = `fastest on a 256x256 matMul probe${soft}: ${best.gflops!.toFixed(1)} GFLOP/s${others ? ` vs ${others}` : ''}`;
  return { name: best.name, reason, probes };
}
