/**
 * Heed's SIMD modules link against the wasm backend's memory whether it is
 * plain or shared (the threaded backend), and both builds compute the same.
 */
import { expect, test } from 'vitest';
import { BMM_WASM, BMM_WASM_SHARED } from '../../src/engine/kernels/bmmWasm.ts';
import { SIMD_WASM, SIMD_WASM_SHARED } from '../../src/engine/kernels/simdWasm.ts';
import { buildFor } from '../../src/engine/kernels/wasmSimd.ts';

const memories = () => [new WebAssembly.Memory({ initial: 1 }), new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true })];

function instance(memory: WebAssembly.Memory, plain: string, shared: string) {
  return new WebAssembly.Instance(new WebAssembly.Module(buildFor(memory, plain, shared)), { env: { memory } }).exports as Record<string, (...a: number[]) => void>;
}

test('the SIMD modules link against plain and shared memories, and both builds agree', () => {
  const results = memories().map((memory) => {
    const link = () => new WebAssembly.Instance(new WebAssembly.Module(buildFor(memory, SIMD_WASM, SIMD_WASM)), { env: { memory } });
    if (memory.buffer instanceof SharedArrayBuffer) expect(link).toThrow(/shared/); // why the shared build exists
    const f32 = new Float32Array(memory.buffer);
    const x = [-6, -1, -0.5, 0, 0.5, 1, 2, 6];
    f32.set(x, 0);
    instance(memory, SIMD_WASM, SIMD_WASM_SHARED).gelu(0, 64, 8); // bytes 0.. in, 64.. out
    const gelu = Array.from(f32.subarray(16, 24));
    // a [1, 1, 3] x b [1, 3, 16] at bytes 256 and 512, into 1024
    f32.set([1, 2, 3], 64);
    f32.set(Array.from({ length: 48 }, (_, i) => i % 5), 128);
    instance(memory, BMM_WASM, BMM_WASM_SHARED).bmm(256, 512, 1024, 1, 1, 3, 16);
    const product = Array.from(f32.subarray(256, 272));
    return { gelu, product };
  });
  expect(results[1]).toEqual(results[0]);
  const { gelu, product } = results[0];
  [-6, -1, -0.5, 0, 0.5, 1, 2, 6].forEach((v, i) => expect(gelu[i]).toBeCloseTo(v * 0.5 * (1 + erf(v / Math.SQRT2)), 6));
  expect(product).toEqual(Array.from({ length: 16 }, (_, j) => [0, 1, 2].reduce((s, k) => s + (k + 1) * ((k * 16 + j) % 5), 0)));
});

/** erf to ~1e-12 by its series (|x| <= 4.3 here), for the reference GELU. */
function erf(x: number): number {
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
