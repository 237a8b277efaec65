/**
 * Heed's SIMD kernels for the wasm backend (simd.wat: GELU and the causal
 * softmax), on the backend's own memory, so they read and write tensors in
 * place of TF.js's kernels without a copy.
 *
 * The module (1.4 kB) is compiled and instantiated synchronously the first
 * time a kernel asks for it, once per backend memory: small modules may be
 * compiled synchronously on any thread, and so no start-up hook is needed.
 * Where the engine has no SIMD it does not compile, and the callers run the
 * op composition instead. The threaded backend's memory is shared, and a
 * module must import it as shared to link, so each module ships both ways.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { SIMD_WASM, SIMD_WASM_SHARED } from './simdWasm.ts';

export interface SimdKernels {
  gelu(x: number, out: number, n: number): void;
  geluGrad(dy: number, x: number, out: number, n: number): void;
  causalSoftmax(x: number, out: number, rows: number, T: number, S: number, past: number, scale: number): void;
  causalSoftmaxGrad(dy: number, y: number, out: number, rows: number, S: number, scale: number): void;
}

export interface WasmHeap {
  wasm?: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** A base64 module's bytes (the generated *Wasm.ts files). */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/**
 * The wasm backend's memory: exported by the one-thread build, imported (and
 * kept as `wasmMemory`) by the threaded one; null when neither is there.
 */
export function backendMemory(backend: unknown): WebAssembly.Memory | null {
  const wasm = (backend as WasmHeap).wasm;
  const memory = wasm?.asm?.memory ?? wasm?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** The build of a module (plain, shared) that links against this memory. */
export function buildFor(memory: WebAssembly.Memory, plain: string, shared: string): Uint8Array<ArrayBuffer> {
  const isShared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  return decodeBase64(isShared ? shared : plain);
}

const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/** The kernels on this wasm backend's memory, or null (not wasm, or no SIMD in this engine). */
export function simdKernels(backend: unknown): SimdKernels | null {
  const memory = backendMemory(backend);
  if (!memory) return null;
  if (!instances.has(memory)) {
    let kernels: SimdKernels | null = null;
    try {
      kernels = new WebAssembly.Instance(new WebAssembly.Module(buildFor(memory, SIMD_WASM, SIMD_WASM_SHARED)), { env: { memory } }).exports as unknown as SimdKernels;
    } catch {
      kernels = null; // no SIMD: the op composition runs
    }
    instances.set(memory, kernels);
  }
  return instances.get(memory)!;
}

/** Where a tensor's values start in the wasm heap (bytes). */
export const heapOffset = (backend: unknown, t: tf.TensorInfo) => (backend as WasmHeap).dataIdMap.get(t.dataId).memoryOffset;
