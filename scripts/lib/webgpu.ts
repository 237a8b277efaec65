/**
 * WebGPU in Node, for benchmarks on a GPU machine: Google's Dawn through the
 * `webgpu` npm package's dawn.node (path in DAWN_NODE, or the package if it
 * is installed). Must run before the WebGPU backend is imported, which it is
 * only lazily, by initBackend.
 */
import { createRequire } from 'node:module';

export function installNodeWebGpu(): boolean {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return true;
  const req = createRequire(import.meta.url);
  let mod: { create(flags: string[]): unknown; globals: object } | undefined;
  try {
    mod = process.env.DAWN_NODE ? req(process.env.DAWN_NODE) : req('webgpu');
  } catch {
    return false;
  }
  Object.assign(globalThis, mod!.globals);
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  Object.defineProperty(g.navigator!, 'gpu', { value: mod!.create([]), configurable: true });
  return true;
}
