/**
 * npm run bench:matmul — how far can wasm go? The dense layers' matrix
 * products of one `baby` training step (per layer: the forward product and
 * its two gradient products, for the attention's qkv and output projections
 * and the MLP's two layers; 768 tokens), timed on TF.js's wasm backend
 * (XNNPACK, 128-bit SIMD) and, when Debian's python3-torch is installed, on
 * PyTorch with one thread (OpenBLAS), best of 15 each. Their sum is a floor
 * for a wasm step that no kernel work outside the products can go under; set
 * against PyTorch's whole step (../shared/tools/torch_gpt.py's model, timed
 * here with the same shapes), it bounds the ratio issue 14 asks about.
 * Ends with one JSON line.
 */
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { machineDescription } from './lib/node.ts';
import { startBackend } from './lib/session.ts';

const TOKENS = 768; // baby: batch 12 x 64
const LAYERS = 4;
/** [m, k, n] of each product in one layer: x w, dy w^T, x^T dy for each dense layer [in, out]. */
const SHAPES = ([[128, 384], [128, 128], [128, 512], [512, 128]] as const).flatMap(([i, o]) => [[TOKENS, i, o], [TOKENS, o, i], [i, TOKENS, o]]);
const flops = (s: readonly number[]) => 2 * s[0] * s[1] * s[2];

const info = await startBackend('wasm', false);
let wasmMs = 0;
for (const [m, k, n] of SHAPES) {
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  let best = Infinity;
  for (let i = 0; i < 18; i++) {
    const t = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    if (i >= 3) best = Math.min(best, performance.now() - t);
  }
  tf.dispose([a, b]);
  wasmMs += best;
  console.log(`wasm ${m}x${k}x${n}: ${best.toFixed(3)} ms, ${(flops([m, k, n]) / best / 1e6).toFixed(1)} GFLOP/s`);
}

const PY = `
import os, sys, json, time
for v in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ[v] = '1'
import torch
torch.set_num_threads(1)
total = 0.0
for m, k, n in json.loads(sys.argv[1]):
    a, b = torch.randn(m, k), torch.randn(k, n)
    best = 1e9
    for i in range(18):
        t = time.perf_counter(); a @ b; dt = (time.perf_counter() - t) * 1000
        if i >= 3: best = min(best, dt)
    total += best
print(json.dumps({'ms': total, 'torch': torch.__version__}))
`;
const python = '/usr/bin/python3';
/** The JSON object on the last line a Python script prints. */
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!);
let torch: { ms: number; torch: string } | null = null;
let torchStepMs: number | null = null;
const tool = join(process.cwd(), '..', 'shared', 'tools', 'torch_gpt.py');
try {
  torch = lastJson(execFileSync(python, ['-c', PY, JSON.stringify(SHAPES)], { encoding: 'utf8' }));
  if (existsSync(tool)) {
    torchStepMs = lastJson(execFileSync(python, [tool, '--preset', 'baby', '--batch', '12', '--threads', '1'], { encoding: 'utf8' })).msPerIter;
  }
} catch (e) {
  console.log(`PyTorch not timed: ${(e as Error).message.split('\n')[0]} (apt-get install -y python3-torch libopenblas0-pthread)`);
}

const perStep = (ms: number) => ms * LAYERS;
const layerFlops = SHAPES.reduce((s, x) => s + flops(x), 0);
const r2 = (x: number) => Math.round(x * 100) / 100;
console.log(`dense products of one baby step: wasm ${perStep(wasmMs).toFixed(1)} ms (${(layerFlops / wasmMs / 1e6).toFixed(1)} GFLOP/s)` +
  (torch ? `, PyTorch ${perStep(torch.ms).toFixed(1)} ms (${(layerFlops / torch.ms / 1e6).toFixed(1)} GFLOP/s)` : '') +
  (torchStepMs ? `; PyTorch's whole step ${torchStepMs.toFixed(1)} ms, so wasm's products alone are ${(perStep(wasmMs) / torchStepMs).toFixed(2)}x it` : ''));
console.log(JSON.stringify({
  backend: info.name, preset: 'baby', wasmDenseMs: r2(perStep(wasmMs)), wasmGflops: r2(layerFlops / wasmMs / 1e6),
  torchDenseMs: torch && r2(perStep(torch.ms)), torchGflops: torch && r2(layerFlops / torch.ms / 1e6), torchStepMs,
  floorRatio: torchStepMs && r2(perStep(wasmMs) / torchStepMs), torch: torch?.torch ?? null, machine: machineDescription(),
}));
