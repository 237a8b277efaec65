/**
 * The batched matMul kernel's two builds: one imports the single-thread
 * backend's plain memory, its twin the threaded backend's shared memory
 * (a module importing plain memory cannot link to shared memory, so with
 * threads on attention would fall back to TF.js's scalar loop).
 */
import { expect, test } from 'vitest';
import { BMM_WASM, BMM_WASM_SHARED } from '../../src/engine/kernels/bmmWasm.ts';

type Bmm = (a: number, b: number, out: number, batch: number, m: number, k: number, n: number) => void;
const bytes = (b64: string) => Uint8Array.from(Buffer.from(b64, 'base64'));

async function link(b64: string, memory: WebAssembly.Memory): Promise<Bmm> {
  const { instance } = await WebAssembly.instantiate(bytes(b64), { env: { memory } });
  return instance.exports.bmm as Bmm;
}

/** A (batch x m x k) times B (batch x k x n) through the kernel, against the plain triple loop. */
function checkProduct(bmm: Bmm, memory: WebAssembly.Memory): void {
  const [batch, m, k, n] = [2, 3, 5, 16];
  const heap = new Float32Array(memory.buffer);
  const a = 0, b = batch * m * k, out = b + batch * k * n; // offsets in floats
  for (let i = 0; i < out; i++) heap[i] = Math.sin(i * 0.37);
  bmm(a * 4, b * 4, out * 4, batch, m, k, n);
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) sum += heap[a + (p * m + i) * k + q] * heap[b + (p * k + q) * n + j];
        expect(heap[out + (p * m + i) * n + j]).toBeCloseTo(sum, 5);
      }
    }
  }
}

test('the plain build multiplies in plain memory', async () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  checkProduct(await link(BMM_WASM, memory), memory);
});

test('the shared build multiplies in shared memory, which the plain build cannot link to', async () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
  expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  checkProduct(await link(BMM_WASM_SHARED, memory), memory);
  await expect(link(BMM_WASM, memory)).rejects.toThrow(WebAssembly.LinkError);
});
