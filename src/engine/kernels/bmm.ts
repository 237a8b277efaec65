/**
 * A faster batched matMul for the wasm backend (attention's QK^T and AV).
 *
 * TF.js's wasm BatchMatMul falls back to a scalar loop for batched shapes
 * (~2.6 GFLOP/s measured here), which made attention half of a training step.
 * This registers `HeedBatchMatMul`, a 128-bit SIMD kernel (bmm.wat) that reads
 * and writes the backend's own heap (plain, or shared when wasm runs threads),
 * and `batchMatMul` uses it whenever the wasm backend is active and the
 * output width is a multiple of 16; anything else goes to tf.matMul. Its
 * gradient is two more batched matMuls with explicit transposes.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { BMM_WASM, BMM_WASM_SHARED } from './bmmWasm.ts';

const KERNEL = 'HeedBatchMatMul';
type Bmm = (a: number, b: number, out: number, batch: number, m: number, k: number, n: number) => void;
let bmm: Bmm | null = null;

interface WasmBackendLike {
  wasm?: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

function decode(b64: string): Uint8Array {
  const s = atob(b64);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Instantiate the kernel against the active wasm backend's memory; false where that cannot be done. */
export async function enableWasmBatchMatMul(): Promise<boolean> {
  if (tf.getBackend() !== 'wasm') return false;
  // The single-thread binary exports its memory; the threaded one imports it (made in JS, shared).
  const wasm = (tf.backend() as unknown as WasmBackendLike).wasm;
  const memory = wasm?.asm?.memory ?? wasm?.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return false;
  try {
    // Threaded wasm's heap is shared memory, which a module must import as shared.
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = await WebAssembly.compile(decode(shared ? BMM_WASM_SHARED : BMM_WASM) as Uint8Array<ArrayBuffer>);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    bmm = instance.exports.bmm as Bmm;
  } catch {
    return false; // no SIMD in this engine: tf.matMul it is
  }
  if (!tf.getKernel(KERNEL, 'wasm')) {
    tf.registerKernel({
      kernelName: KERNEL,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => {
        const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        const be = backend as unknown as WasmBackendLike;
        const [batch, m, k] = a.shape;
        const n = b.shape[2];
        const out = be.makeOutput([batch, m, n], 'float32');
        const at = (t: tf.TensorInfo) => be.dataIdMap.get(t.dataId).memoryOffset;
        bmm!(at(a), at(b), at(out), batch, m, k, n);
        return out;
      },
    });
  }
  return true;
}

const usesKernel = (n: number) => bmm !== null && n % 16 === 0 && tf.getBackend() === 'wasm';

// The gradient is registered on the kernel (not a tf.customGrad wrapper): the tape then records one
// kernel per product, not the kernel plus a wrapper scope each way.
let gradientRegistered = false;
function registerGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: KERNEL,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [as, bs] = saved as tf.Tensor3D[];
      const g = dy as tf.Tensor3D;
      return { a: () => batchMatMul(g, tf.transpose(bs, [0, 2, 1])), b: () => batchMatMul(tf.transpose(as, [0, 2, 1]), g) };
    },
  });
}

const fastBmm = (a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D => {
  registerGradient();
  return tf.engine().runKernel(KERNEL, { a, b }, {}) as tf.Tensor3D;
};

/** a [B, M, K] times b [B, K, N] -> [B, M, N]. */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new Error(`batchMatMul: shapes [${a.shape}] and [${b.shape}] do not match`);
  }
  return usesKernel(b.shape[2]) ? fastBmm(a, b) : tf.matMul(a, b);
}
