/**
 * Node-only helpers for the CLI and benchmarks: where the wasm binaries are,
 * what machine this is.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { BackendOptions } from '../../src/engine/backend.ts';

/** The wasm backend in a bundled script cannot find its .wasm files by itself. */
export function nodeBackendOptions(): BackendOptions {
  const req = createRequire(import.meta.url);
  const dir = join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  tf.env().set('PROD', true); // no "install tfjs-node" banner; fewer debug checks
  return { wasmPaths: dir };
}

/** One line naming the machine, for benchmark output. */
export function machineDescription(): string {
  const c = cpus();
  return `${c.length}x ${c[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}
