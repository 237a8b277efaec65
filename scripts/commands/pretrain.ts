/**
 * heed pretrain: next-token training on a text file, from scratch.
 * Defaults come from the preset (baby = nanoGPT's CPU recipe).
 */
import { writeFileSync } from 'node:fs';
import { LIMITS, type PresetName, PRESETS, TRAIN_DEFAULTS, isPreset, presetConfig } from '../../src/engine/config.ts';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { GPT } from '../../src/engine/model.ts';
import { pretrainStage, splitTokens } from '../../src/engine/pretrain.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { buildCorpus, corpusTokens } from '../../src/data/corpus.ts';
import { train } from '../../src/engine/train.ts';
import { UsageError, emit, num, parse, readTextFile, str } from '../lib/args.ts';
import { startBackend } from '../lib/session.ts';
import { shipModel, shippedPath } from '../lib/models.ts';
import { machineDescription } from '../lib/node.ts';

export const pretrainHelp = `heed pretrain --data FILE [options]
  --data FILE|builtin    text to train on (UTF-8), or Heed's generated corpus
  --corpus-chars N       size of the built-in corpus (default 2000000)
  --val-fraction F       hold out the file's tail for validation (default 0.1)
  --preset NAME          tiny | baby | small (default baby)
  --iters N --lr X --min-lr X --warmup N --batch N --block N --eval-every N
  --seed N               (default 1)
  --backend NAME         auto | wasm | cpu | webgpu (default auto)
  --out FILE             write a checkpoint at the end
  --ship NAME            write models/NAME.heed and record it in models/manifest.json
  --json                 one JSON object per line`;

export async function pretrainCommand(argv: string[]): Promise<{ step: number; valLoss?: number; trainLoss?: number }> {
  const v = parse(argv, {
    data: { type: 'string' }, 'corpus-chars': { type: 'string' }, 'val-fraction': { type: 'string' }, preset: { type: 'string' },
    iters: { type: 'string' }, lr: { type: 'string' }, 'min-lr': { type: 'string' }, warmup: { type: 'string' },
    batch: { type: 'string' }, block: { type: 'string' }, 'eval-every': { type: 'string' }, seed: { type: 'string' },
    backend: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, ship: { type: 'string' },
  });
  const json = Boolean(v.json);
  const dataPath = str(v, 'data') ?? '';
  if (!dataPath) throw new UsageError('pretrain needs --data FILE|builtin');
  const builtin = dataPath === 'builtin';
  const text = builtin ? '' : readTextFile('data', dataPath);
  const presetName = str(v, 'preset', 'baby')!;
  if (!isPreset(presetName)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}`);
  const d = TRAIN_DEFAULTS[presetName as PresetName];
  const iters = num(v, 'iters', d.iters, 1, 1e6, true);
  const lr = num(v, 'lr', d.lr, 1e-6, 1);
  const minLr = num(v, 'min-lr', Math.min(d.minLr, lr), 0, lr);
  const warmup = num(v, 'warmup', d.warmup, 0, iters, true);
  const batchSize = num(v, 'batch', d.batchSize, 1, 512, true);
  const blockSize = num(v, 'block', PRESETS[presetName as PresetName].blockSize, 4, PRESETS[presetName as PresetName].blockSize, true);
  const evalEvery = num(v, 'eval-every', d.evalEvery, 1, 1e6, true);
  const seed = num(v, 'seed', 1, 0, 2 ** 31, true);
  const valFraction = num(v, 'val-fraction', 0.1, 0, 0.5);
  // The built-in corpus uses the ASCII vocabulary, so later stages (chat, SFT pairs) never meet an unknown character.
  const corpusChars = num(v, 'corpus-chars', 2_000_000, 10_000, 1e9, true);
  const tokenizer = builtin ? CharTokenizer.ascii() : CharTokenizer.fromText(text);
  const ids = builtin ? corpusTokens(tokenizer, buildCorpus(seed, corpusChars)) : tokenizer.encode(text);
  const data = splitTokens(ids, valFraction);
  if (data.train.length < blockSize + 2) throw new UsageError(`--data: "${dataPath}" has too little text for block size ${blockSize}`);
  if (tokenizer.vocabSize > LIMITS.vocabSize[1]) {
    throw new UsageError(`--data: "${dataPath}" has ${tokenizer.chars.length} distinct characters; a model takes at most ${LIMITS.vocabSize[1] - tokenizer.specials.length}`);
  }
  const config = presetConfig(presetName, tokenizer.vocabSize);

  await startBackend(str(v, 'backend', 'auto')!, json);
  const startedAt = performance.now();
  const model = GPT.create(config, seed);
  const stage = pretrainStage(data, { batchSize, blockSize, seed });
  const result = await train(model, stage, {
    iters, clip: d.clip, evalEvery, logEvery: json ? 1 : 10,
    schedule: { lr, minLr, warmup, decaySteps: iters },
    adamw: { beta2: d.beta2, weightDecay: d.weightDecay },
    onProgress: (p) => emit(json, { step: p.step, loss: p.loss, lr: p.lr, tokensPerSec: Math.round(p.tokensPerSec) },
      `step ${p.step}/${p.iters}  loss ${p.loss.toFixed(4)}  lr ${p.lr.toExponential(2)}  ${Math.round(p.tokensPerSec)} tok/s  ${p.msPerStep.toFixed(0)} ms/step`),
    onEval: (e) => emit(json, { step: e.step, trainLoss: e.trainLoss, valLoss: e.valLoss },
      `eval @${e.step}: train ${e.trainLoss.toFixed(4)}  val ${e.valLoss.toFixed(4)}`),
  });
  if (result.reason === 'nonfinite') throw new Error(result.message);
  const ship = str(v, 'ship');
  const out = str(v, 'out') ?? (ship ? shippedPath(ship) : undefined);
  if (out) {
    const bytes = await saveCheckpoint(model, tokenizer, {
      stage: 'pretrain', step: result.step, seed, preset: presetName,
      metrics: result.lastEval ? { trainLoss: result.lastEval.trainLoss, valLoss: result.lastEval.valLoss } : {},
    });
    writeFileSync(out, bytes);
  }
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  if (ship) shipModel({ name: ship, stage: 'pretrain', preset: presetName, steps: result.step, seed, command: `npm run heed -- pretrain ${argv.join(' ')}`, seconds, machine: machineDescription() });
  emit(json, { done: true, seconds, step: result.step, trainLoss: result.lastEval?.trainLoss, valLoss: result.lastEval?.valLoss, out: out ?? null },
    `done: ${result.step} steps, val loss ${result.lastEval?.valLoss?.toFixed(4)}${out ? `, saved ${out}` : ''}`);
  model.dispose();
  result.optimizer.dispose();
  return { step: result.step, valLoss: result.lastEval?.valLoss, trainLoss: result.lastEval?.trainLoss };
}
