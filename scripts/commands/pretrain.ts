/**
 * heed pretrain: next-token training on a text file, from scratch or
 * further from a checkpoint (`--from`, a second phase on another corpus mix).
 * Defaults come from the preset (baby = nanoGPT's CPU recipe).
 */
import { writeFileSync } from 'node:fs';
import { LIMITS, PRESETS, isPreset, presetConfig } from '../../src/engine/config.ts';
import { buildModel, readCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { GPT } from '../../src/engine/model.ts';
import { genresFlag } from './corpus.ts';
import { copyingScore } from '../../src/eval/copying.ts';
import { countingScore } from '../../src/eval/counting.ts';
import { pretrainData, runPretrain } from '../../src/stages/pretrain.ts';
import { VAL_FRACTION, pretrainParams } from '../../src/stages/settings.ts';
import { UsageError, emit, flag, flagHelp, flagSpec, num, parse, readFlags, readTextFile, str } from '../lib/args.ts';
import { startBackend } from '../lib/session.ts';
import { readModelBytes, shipModel, shippedPath } from '../lib/models.ts';
import { machineDescription } from '../lib/node.ts';

export const pretrainHelp = `heed pretrain --data FILE [options]
  --data FILE|builtin    text to train on (UTF-8), or Heed's generated corpus
  --from NAME|FILE       train this checkpoint further instead of a new model: its preset and tokenizer, a warm-up and
                         cosine of this run's own; the checkpoint written counts its steps on
  --corpus-chars N       size of the built-in corpus (default 2000000)
  --genres LIST          the built-in corpus's genre weights, e.g. poemExercise=6,exercise=2 (others keep theirs)
  --preset NAME          tiny | baby | small (default baby); the defaults below are baby's
${flagHelp({ ...pretrainParams('baby'), VAL_FRACTION })}
  --min-lr X             end of the cosine (default a tenth of --lr)
  --warmup N             warm-up steps (default the preset's, at most a tenth of --iters)
  --block N              context length (default and most: the preset's)
  --backend NAME         auto | wasm | cpu | webgpu (default auto)
  --out FILE             write a checkpoint at the end
  --ship NAME            write models/NAME.heed and record it in models/manifest.json
  --json                 one JSON object per line`;

function readCheckpointFile(file: { bytes: Uint8Array; path: string }) {
  try {
    return readCheckpoint(file.bytes);
  } catch (e) {
    throw new UsageError(`--from: ${file.path}: ${(e as Error).message}`);
  }
}

export async function pretrainCommand(argv: string[]): Promise<{ step: number; valLoss?: number; trainLoss?: number }> {
  const v = parse(argv, {
    data: { type: 'string' }, from: { type: 'string' }, 'corpus-chars': { type: 'string' }, genres: { type: 'string' }, preset: { type: 'string' }, ...flagSpec({ ...pretrainParams('baby'), VAL_FRACTION }),
    'min-lr': { type: 'string' }, warmup: { type: 'string' }, block: { type: 'string' },
    backend: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, ship: { type: 'string' },
  });
  const json = Boolean(v.json);
  const dataPath = str(v, 'data') ?? '';
  if (!dataPath) throw new UsageError('pretrain needs --data FILE|builtin');
  const builtin = dataPath === 'builtin';
  const text = builtin ? '' : readTextFile('data', dataPath);
  const fromName = str(v, 'from');
  const fromFile = fromName ? readModelBytes(fromName) : undefined;
  const from = fromFile && readCheckpointFile(fromFile); // read once: header and tokenizer now, the model once the backend runs
  const presetName = from?.header.preset ?? str(v, 'preset', 'baby')!;
  if (from && v.preset !== undefined && v.preset !== presetName) throw new UsageError(`--preset: ${fromName} is a "${presetName}" model`);
  if (!isPreset(presetName)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}`);
  const o = readFlags(v, pretrainParams(presetName));
  const minLr = v['min-lr'] === undefined ? undefined : num(v, 'min-lr', o.lr / 10, 0, o.lr);
  const warmup = v.warmup === undefined ? undefined : num(v, 'warmup', 0, 0, o.iters, true);
  const blockSize = num(v, 'block', PRESETS[presetName].blockSize, 4, PRESETS[presetName].blockSize, true);
  const valFraction = flag(v, VAL_FRACTION);
  const corpusChars = num(v, 'corpus-chars', 2_000_000, 10_000, 1e9, true);
  const weights = genresFlag(v);
  if (weights && !builtin) throw new UsageError('--genres weighs the built-in corpus: use it with --data builtin');
  const { tokenizer, data } = pretrainData(builtin ? { builtin, chars: corpusChars, genres: weights } : { builtin, text }, o.seed, valFraction, from?.tokenizer);
  if (data.train.length < blockSize + 2) throw new UsageError(`--data: "${dataPath}" has too little text for block size ${blockSize}`);
  if (tokenizer.vocabSize > LIMITS.vocabSize[1]) {
    throw new UsageError(`--data: "${dataPath}" has ${tokenizer.chars.length} distinct characters; a model takes at most ${LIMITS.vocabSize[1] - tokenizer.specials.length}`);
  }
  const seed = o.seed;
  const before = from?.header.step ?? 0; // a new phase: its own warm-up and cosine; the checkpoint's step count goes on

  await startBackend(str(v, 'backend', 'auto')!, json);
  const startedAt = performance.now();
  const model = from ? await buildModel(from) : GPT.create(presetConfig(presetName, tokenizer.vocabSize), seed);
  const result = await runPretrain(model, data, { ...o, preset: presetName, blockSize, minLr, warmup }, {
    logEvery: json ? 1 : 10,
    onProgress: (p) => emit(json, { step: p.step, loss: p.loss, lr: p.lr, tokensPerSec: Math.round(p.tokensPerSec) },
      `step ${p.step}/${p.iters}  loss ${p.loss.toFixed(4)}  lr ${p.lr.toExponential(2)}  ${Math.round(p.tokensPerSec)} tok/s  ${p.msPerStep.toFixed(0)} ms/step`),
    onEval: async (e) => {
      // Made-up words are English-like: the built-in corpus's alphabet.
      const copy = builtin ? await copyingScore(model, tokenizer) : undefined;
      const counting = builtin ? await countingScore(model, tokenizer) : undefined;
      emit(json, { step: e.step, trainLoss: e.trainLoss, valLoss: e.valLoss, copying: copy, counting },
        `eval @${e.step}: train ${e.trainLoss.toFixed(4)}  val ${e.valLoss.toFixed(4)}${copy ? `  copying ${copy.ratio.toFixed(2)} (repeats ${copy.repeats.toFixed(2)} / first ${copy.first.toFixed(2)} nats per char)` : ''}` +
        `${counting === undefined ? '' : `  counting ${Math.round(counting * 100)} %`}`);
    },
  });
  if (result.reason === 'nonfinite') throw new Error(result.message);
  const steps = before + result.step;
  const ship = str(v, 'ship');
  const out = str(v, 'out') ?? (ship ? shippedPath(ship) : undefined);
  if (out) {
    const bytes = await saveCheckpoint(model, tokenizer, {
      stage: 'pretrain', step: steps, seed, preset: presetName,
      metrics: result.lastEval ? { trainLoss: result.lastEval.trainLoss, valLoss: result.lastEval.valLoss } : {},
    });
    writeFileSync(out, bytes);
  }
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  if (ship) shipModel({ name: ship, stage: 'pretrain', preset: presetName, steps, seed, command: `npm run heed -- pretrain ${argv.join(' ')}`, seconds, machine: machineDescription() });
  emit(json, { done: true, seconds, step: steps, trainLoss: result.lastEval?.trainLoss, valLoss: result.lastEval?.valLoss, out: out ?? null },
    `done: ${result.step} steps${before ? ` (${steps} in all)` : ''}, val loss ${result.lastEval?.valLoss?.toFixed(4)}${out ? `, saved ${out}` : ''}`);
  model.dispose();
  result.optimizer.dispose();
  return { step: steps, valLoss: result.lastEval?.valLoss, trainLoss: result.lastEval?.trainLoss };
}
