/**
 * Choose and initialise a TF.js backend, and say why.
 *
 * `auto` times a few real training steps (speedProbe.ts) on WebGPU, where a
 * real adapter exists, and on wasm, and takes the faster in tokens/s. A
 * software WebGPU adapter (SwiftShader, `isFallbackAdapter`) is reported but
 * not timed: its steps crawl (~50x slower than wasm). WebGL and cpu are the
 * fallbacks when neither trains. An explicit choice is honoured or fails
 * with a message. wasm runs threads where the page is cross-origin isolated
 * (wasmThreads.ts). WebGL and WebGPU are imported only where they can
 * exist, so Node never loads them by accident.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { enableWasmBatchMatMul } from './kernels/bmm.ts';
import { PAGE_PROBE, type ProbeSize, type SpeedProbe, backendLabel, fastest, speedReason, trainingSpeed } from './speedProbe.ts';
import { type WasmThreadsPlan, planWasmThreads, reportingCores } from './wasmThreads.ts';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

/** Timed in training steps by `auto`, in this order; the rest are fallbacks. */
const CANDIDATES: BackendName[] = ['webgpu', 'wasm'];
const FALLBACKS: BackendName[] = ['webgl', 'cpu', 'webgpu'];

export interface Probe extends SpeedProbe {
  name: BackendName;
}

export interface BackendInfo {
  name: BackendName;
  reason: string;
  probes: Probe[];
  /** The chosen backend's training speed, when `auto` timed it. */
  tokensPerSec?: number;
  /** wasm's thread count and why (the pool is built once per page, at wasm's first start). */
  threads?: WasmThreadsPlan;
}

export interface BackendOptions {
  /** Where the wasm binaries are served from (a folder URL or one URL per file); the browser needs this. */
  wasmPaths?: string | Record<string, string>;
  /** wasm threads asked for (1 turns them off); default one per two logical cores where the page is cross-origin isolated. */
  threads?: number;
  /** What `auto` times (default: the page's model size). */
  probe?: ProbeSize;
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
let wasmPlan: WasmThreadsPlan | null = null;

/** Decide wasm's threads before TF.js loads its binary: the threaded one only where it can share memory. */
function planThreads(opts: BackendOptions): void {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  // Browsers always define crossOriginIsolated (a page and its workers); Node does not.
  const isolated = typeof g.crossOriginIsolated === 'boolean' ? g.crossOriginIsolated : undefined;
  wasmPlan = planWasmThreads({ isolated, cores: g.navigator?.hardwareConcurrency, requested: opts.threads });
  if (wasmPlan.threads > 1) setThreadsCount(wasmPlan.threads);
  else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

/** The thread count TF.js actually built (its own feature check may still say no). */
function wasmThreads(): WasmThreadsPlan | undefined {
  if (!wasmPlan) return undefined;
  const actual = getThreadsCount();
  if (actual >= wasmPlan.threads) return wasmPlan;
  return { threads: actual, reason: `${actual} thread${actual === 1 ? '' : 's'}: this browser's wasm refused the ${wasmPlan.threads} planned (${wasmPlan.reason})` };
}

/** Make a backend available to tf.setBackend; false when it cannot exist here. */
async function register(name: BackendName, opts: BackendOptions): Promise<boolean> {
  if (registered.has(name)) return true;
  if (name === 'wasm') {
    planThreads(opts);
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
    const start = () => tf.setBackend(name);
    if (!(await (name === 'wasm' && wasmPlan ? reportingCores(wasmPlan.threads, start) : start()))) return `${name} failed to initialise`;
    await tf.ready();
    if (name === 'wasm') await enableWasmBatchMatMul();
    return null;
  } catch (e) {
    return `${name} failed to initialise: ${(e as Error).message}`;
  }
}

/** Start `name` and time training steps on it; a software WebGPU adapter is described but not timed. */
async function probe(name: BackendName, opts: BackendOptions): Promise<Probe> {
  const err = await activate(name, opts);
  if (err) return { name, error: err.replace(`${name} `, '') }; // "is not available ...", "failed to initialise: ..."
  const p: Probe = { name };
  if (name === 'webgpu') {
    Object.assign(p, await describeWebGpuAdapter());
    if (p.software) return { ...p, skipped: `not timed: a software adapter (${p.adapter}), far slower than wasm` };
  }
  try {
    p.tokensPerSec = await trainingSpeed(opts.probe ?? PAGE_PROBE);
  } catch (e) {
    p.error = `could not train (${(e as Error).message})`;
  }
  return p;
}

/** wasm's threads and why, beside a wasm backend's info. */
function withThreads(info: BackendInfo): BackendInfo {
  if (info.name !== 'wasm') return info;
  const threads = wasmThreads();
  return threads ? { ...info, threads } : info;
}

export async function initBackend(choice: BackendChoice = 'auto', opts: BackendOptions = {}): Promise<BackendInfo> {
  if (choice !== 'auto') {
    if (!BACKENDS.includes(choice)) throw new Error(`unknown backend "${choice}" (choose auto, ${BACKENDS.join(', ')})`);
    const err = await activate(choice, opts);
    if (err) throw new Error(err);
    const gpu = choice === 'webgpu' ? await describeWebGpuAdapter() : null;
    const note = gpu ? ` (${gpu.software ? 'software adapter: ' : ''}${gpu.adapter})` : '';
    return withThreads({ name: choice, reason: `chosen explicitly${note}`, probes: [] });
  }
  const probes: Probe[] = [];
  for (const name of CANDIDATES) probes.push(await probe(name, opts));
  const best = fastest(probes);
  if (best) {
    const err = await activate(best.name, opts);
    if (err) throw new Error(err);
    return withThreads({ name: best.name, reason: speedReason(best, probes), probes, tokensPerSec: best.tokensPerSec });
  }
  const failed = probes.map((p) => `${backendLabel(p.name)} ${p.error ?? p.skipped}`).join('; ');
  for (const name of FALLBACKS) {
    if (await activate(name, opts)) continue;
    return withThreads({ name, reason: `a fallback: neither WebGPU nor wasm trained here (${failed})`, probes });
  }
  throw new Error(`no TF.js backend could be initialised (${failed})`);
}
