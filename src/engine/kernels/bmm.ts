/**
 * A faster batched matMul for the wasm backend (attention's QK^T and AV).
 *
 * TF.js's wasm BatchMatMul falls back to a scalar loop for batched shapes
 * (~2.6 GFLOP/s measured here), which made attention half of a training step.
 * This registers `HeedBatchMatMul`, 128-bit SIMD kernels (bmm.wat) that read
 * and write the backend's own heap, and `batchMatMul` uses it whenever the
 * wasm backend is active and the shapes suit it (bmm.wat); anything else goes
 * to tf.matMul. The kernel's attr `form` says which operand is stored
 * transposed ('nn', 'tn': a is [B, K, M], 'nt': b is [B, N, K]), so the
 * gradient of each form is two more products of these forms, without a
 * transpose kernel: 'nn' alone is bit for bit the forward it always was
 * (generation uses it), and 'tn' sums in the same order as transposing first;
 * 'nt' sums four partial dot products, so it differs from a transpose then
 * 'nn' in the last bits.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { BMM_WASM, BMM_WASM_SHARED } from './bmmWasm.ts';
import { backendMemory, buildFor } from './wasmSimd.ts';

const KERNEL = 'HeedBatchMatMul';
type Form = 'nn' | 'tn' | 'nt';
type Bmm = (a: number, b: number, out: number, batch: number, m: number, k: number, n: number) => void;
const EXPORTS: Record<Form, string> = { nn: 'bmm', tn: 'bmmTN', nt: 'bmmNT' };
let kernels: Record<Form, Bmm> | null = null;

interface WasmBackendLike {
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** [M, K, N] of a product of this form: a and b as stored. */
function dims(form: Form, a: number[], b: number[]): [number, number, number] {
  if (form === 'tn') return [a[2], a[1], b[2]];
  if (form === 'nt') return [a[1], a[2], b[1]];
  return [a[1], a[2], b[2]];
}

/** Instantiate the kernels against the active wasm backend's memory; false where that cannot be done. */
export async function enableWasmBatchMatMul(): Promise<boolean> {
  if (tf.getBackend() !== 'wasm') return false;
  const memory = backendMemory(tf.backend());
  if (!memory) return false;
  try {
    const module = await WebAssembly.compile(buildFor(memory, BMM_WASM, BMM_WASM_SHARED)); // the threaded backend's memory is shared
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    kernels = Object.fromEntries(Object.entries(EXPORTS).map(([form, name]) => [form, instance.exports[name] as Bmm])) as Record<Form, Bmm>;
  } catch {
    return false; // no SIMD in this engine: tf.matMul it is
  }
  if (!tf.getKernel(KERNEL, 'wasm')) {
    tf.registerKernel({
      kernelName: KERNEL,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        const form = (attrs as unknown as { form: Form }).form;
        const be = backend as unknown as WasmBackendLike;
        const [m, k, n] = dims(form, a.shape, b.shape);
        const out = be.makeOutput([a.shape[0], m, n], 'float32');
        const at = (t: tf.TensorInfo) => be.dataIdMap.get(t.dataId).memoryOffset;
        kernels![form](at(a), at(b), at(out), a.shape[0], m, k, n);
        return out;
      },
    });
  }
  return true;
}

/** Whether bmm.wat computes this form for these stored shapes (its strips need N % 16, or K and N % 4 for 'nt'). */
function usesKernel(form: Form, a: number[], b: number[]): boolean {
  if (kernels === null || tf.getBackend() !== 'wasm') return false;
  const [, k, n] = dims(form, a, b);
  return form === 'nt' ? k % 4 === 0 && n % 4 === 0 : n % 16 === 0;
}

const t = (x: tf.Tensor3D) => tf.transpose(x, [0, 2, 1]) as tf.Tensor3D;

/** The product of a form: the SIMD kernel where it runs, else tf.matMul of the transposed operand. */
function product(form: Form, a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (usesKernel(form, a.shape, b.shape)) {
    registerGradient();
    return tf.engine().runKernel(KERNEL, { a, b }, { form }) as tf.Tensor3D;
  }
  if (form === 'tn') return tf.matMul(t(a), b);
  if (form === 'nt') return tf.matMul(a, t(b));
  return tf.matMul(a, b);
}

// The gradient is registered on the kernel (not a tf.customGrad wrapper): the tape then records one
// kernel per product, not the kernel plus a wrapper scope each way.
let gradientRegistered = false;
function registerGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: KERNEL,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as tf.Tensor3D[];
      const g = dy as tf.Tensor3D;
      const form = (attrs as unknown as { form: Form }).form;
      // C = A B: dA = G B^T, dB = A^T G; C = A^T B: dA (stored K x M) = B G^T, dB = A G; C = A B^T: dA = G B, dB (stored N x K) = G^T A.
      if (form === 'tn') return { a: () => product('nt', b, g), b: () => product('nn', a, g) };
      if (form === 'nt') return { a: () => product('nn', g, b), b: () => product('tn', g, a) };
      return { a: () => product('nt', g, b), b: () => product('tn', a, g) };
    },
  });
}

/** a [B, M, K] times b [B, K, N] -> [B, M, N]. */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new Error(`batchMatMul: shapes [${a.shape}] and [${b.shape}] do not match`);
  }
  return product('nn', a, b);
}
