/**
 * heed bench: ms/step, tokens/s and tensor counts of pretraining steps, per
 * backend, on the same machine in one run (so ratios are comparable).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, initBackend } from '../../src/engine/backend.ts';
import { type PresetName, PRESETS, TRAIN_DEFAULTS, countParams, isPreset, presetConfig } from '../../src/engine/config.ts';
import { GPT } from '../../src/engine/model.ts';
import { pretrainStage } from '../../src/engine/pretrain.ts';
import { TrainControl, train } from '../../src/engine/train.ts';
import { Rng } from '../../src/engine/rng.ts';
import { UsageError, emit, num, parse, str } from '../lib/args.ts';
import { machineDescription, nodeBackendOptions } from '../lib/node.ts';
import { installNodeWebGpu } from '../lib/webgpu.ts';

export const benchHelp = `heed bench [options]
  --backend NAME   one backend (wasm, cpu, webgpu); default: every backend available in Node
  --preset NAME    (default baby)   --batch N (default: the preset's)
  --iters N        timed steps (default 10; cpu is capped at ~20 s)   --warmup N (default 3)
  --json`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The learning-rate schedule of the timed steps and of the counted one. */
const SCHEDULE = { lr: 1e-3, minLr: 1e-4, warmup: 10, decaySteps: 1000 };

/**
 * The TF.js kernels one more training step launches (tf.profile, outside the
 * timed steps), and the five most frequent: at Heed's sizes a step costs per
 * kernel, not per FLOP, so this count is the engine's speed lever.
 */
async function kernelsPerStep(model: GPT, stage: ReturnType<typeof pretrainStage>, r: Awaited<ReturnType<typeof train>>) {
  const info = await tf.profile(async () => {
    // Evaluation off: the stage's validation pass after the step is not part of a training step.
    await train(model, { ...stage, evaluate: undefined }, { iters: r.step + 1, startStep: r.step, schedule: SCHEDULE, clip: 1, optimizer: r.optimizer });
  });
  const byName = new Map<string, number>();
  for (const k of info.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + 1);
  const topKernels = Object.fromEntries([...byName].sort((a, b) => b[1] - a[1]).slice(0, 5));
  return { kernelsPerStep: info.kernels.length, topKernels };
}

export async function benchCommand(argv: string[]): Promise<void> {
  const v = parse(argv, {
    backend: { type: 'string' }, preset: { type: 'string' }, batch: { type: 'string' },
    iters: { type: 'string' }, warmup: { type: 'string' }, json: { type: 'boolean' },
  });
  const json = Boolean(v.json);
  const preset = str(v, 'preset', 'baby')! as PresetName;
  if (!isPreset(preset)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}`);
  const batchSize = num(v, 'batch', TRAIN_DEFAULTS[preset].batchSize, 1, 512, true);
  const iters = num(v, 'iters', 10, 1, 10000, true);
  const warmup = num(v, 'warmup', 3, 0, 1000, true);
  const hasGpu = installNodeWebGpu();
  const chosen = str(v, 'backend');
  const backends: BackendName[] = chosen ? [chosen as BackendName] : hasGpu ? ['webgpu', 'wasm', 'cpu'] : ['wasm', 'cpu'];
  const machine = machineDescription();
  const vocab = 70; // tinyshakespeare's 65 characters plus Heed's special tokens
  const { blockSize } = PRESETS[preset];
  const rng = new Rng(1);
  const tokens = Int32Array.from({ length: 50_000 }, () => rng.int(vocab));
  for (const backend of backends) {
    let info;
    try {
      info = await initBackend(backend, nodeBackendOptions());
    } catch (e) {
      if (chosen) throw e;
      emit(json, { backend, error: (e as Error).message }, `${backend.padEnd(7)} skipped: ${(e as Error).message}`);
      continue;
    }
    const model = GPT.create(presetConfig(preset, vocab), 1);
    const stage = pretrainStage({ train: tokens, val: tokens }, { batchSize, blockSize, seed: 1 });
    const times: number[] = [];
    let numTensorsStart = 0;
    const budgetMs = backend === 'cpu' ? 20_000 : Infinity;
    const control = new TrainControl();
    const t0 = performance.now();
    // Evaluation off: a training step is what is timed, and the validation pass's per-shape causal mask
    // (kept, since training's fused softmax needs none) would read as a tensor left behind.
    const r = await train(model, { ...stage, evaluate: undefined }, {
      iters: warmup + iters, schedule: SCHEDULE, clip: 1,
      onProgress: (p) => {
        if (p.step === Math.max(1, warmup)) numTensorsStart = tf.memory().numTensors; // after the optimiser made its moments
        if (p.step > warmup) times.push(p.msPerStep);
        if (times.length >= 3 && performance.now() - t0 > budgetMs) control.stop();
      },
      control,
    });
    const kernels = await kernelsPerStep(model, stage, r);
    const ms = median(times);
    const mem = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
    const row = {
      backend: info.name, preset, batch: batchSize, block: blockSize, params: countParams(model.config),
      msPerIter: Number(ms.toFixed(2)), tokensPerSec: Math.round((batchSize * blockSize * 1000) / ms), ...kernels,
      numTensorsStart, numTensorsEnd: tf.memory().numTensors, timedSteps: times.length,
      memoryMB: Number(((mem.numBytesInGPU ?? mem.numBytes) / 2 ** 20).toFixed(1)), machine, detail: info.reason,
    };
    emit(json, row, `${row.backend.padEnd(7)} ${preset} B=${batchSize} T=${blockSize}: ${row.msPerIter} ms/iter, ${row.tokensPerSec} tok/s, tensors ${row.numTensorsStart} -> ${row.numTensorsEnd}, ${row.kernelsPerStep} kernels/step, ${row.memoryMB} MB (${machine})`);
    model.dispose();
    r.optimizer.dispose();
  }
}
