/** heed sft: instruction-tune a checkpoint on pairs (built in, from the tasks, or a JSONL file). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChat } from '../../src/data/chat.ts';
import { makeSftPairs } from '../../src/data/pairs.ts';
import { LESSON_SFT } from '../../src/data/lesson.ts';
import { buildCorpus, corpusTokens } from '../../src/data/corpus.ts';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { sftStage, unfitNote, unknownNote } from '../../src/engine/sft.ts';
import { trainInChunks } from '../../src/engine/train.ts';
import { tenthCosine } from '../../src/engine/optim.ts';
import { checkPair, parseJsonl } from '../../src/eval/jsonl.ts';
import { UsageError, emit, num, parse, readTextFile, str } from '../lib/args.ts';
import { loadModel, readModelBytes, shipModel, shippedPath } from '../lib/models.ts';
import { machineDescription } from '../lib/node.ts';
import { startBackend } from '../lib/session.ts';

const L = LESSON_SFT;
const M = L.mix;

export const sftHelp = `heed sft --model NAME|FILE --pairs builtin|FILE --out FILE [options]
  Defaults are the lesson recipe the page offers (src/data/lesson.ts).
  --pairs builtin|FILE   generated pairs (training topics and phrasings only) or {"prompt","response"} JSONL
  --count N              how many built-in pairs (default ${L.pairs})
  --subject-share X      share of built-in pairs about common nouns (default ${M.subjectShare})
  --haiku-share X        share of those that ask for a haiku (default ${M.haikuShare})
  --syllable-balance X   share of those haiku whose noun is drawn by syllables, 1 to 5 equally (default ${M.syllableBalance})
  --people-share X       share of those haiku asked in people's words (default ${M.peopleShare})
  --varied-lines on|off  list and lines answers take a different related word per line (default ${M.variedLines ? 'on' : 'off'})
  --mix-share X          share of each batch that is built-in pretraining text (default 0)
  --iters N (default ${L.steps})  --lr X (default ${L.lr})  --warmup N (default ${L.warmup})  --batch N (default ${L.batchSize})
  --seed N (default ${L.seed})  --backend NAME  --json
  --out FILE             where to write the tuned checkpoint
  --ship NAME            write models/NAME.heed and record it in models/manifest.json
  --save-every N --save-dir DIR   also write DIR/sft-stepK.heed every N steps (the same run)`;

function onOff(v: Record<string, unknown>, flag: string, fallback: boolean): boolean {
  const value = str(v, flag);
  if (value === undefined) return fallback;
  if (value !== 'on' && value !== 'off') throw new UsageError(`--${flag} must be on or off (got "${value}")`);
  return value === 'on';
}

export async function sftCommand(argv: string[]): Promise<void> {
  const v = parse(argv, {
    model: { type: 'string' }, pairs: { type: 'string' }, count: { type: 'string' }, iters: { type: 'string' },
    lr: { type: 'string' }, batch: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
    backend: { type: 'string' }, json: { type: 'boolean' }, 'mix-share': { type: 'string' }, ship: { type: 'string' }, 'subject-share': { type: 'string' }, 'haiku-share': { type: 'string' }, 'syllable-balance': { type: 'string' }, 'people-share': { type: 'string' }, 'varied-lines': { type: 'string' }, warmup: { type: 'string' }, 'save-every': { type: 'string' }, 'save-dir': { type: 'string' },
  });
  const json = Boolean(v.json);
  const name = str(v, 'model');
  const source = str(v, 'pairs');
  if (!name || !source) throw new UsageError('sft needs --model NAME|FILE and --pairs builtin|FILE');
  const iters = num(v, 'iters', L.steps, 1, 1e6, true);
  const lr = num(v, 'lr', L.lr, 1e-6, 1);
  const warmup = num(v, 'warmup', L.warmup, 0, 1e6, true);
  const seed = num(v, 'seed', L.seed, 0, 2 ** 31, true);
  let pairs;
  if (source === 'builtin') pairs = makeSftPairs(seed, num(v, 'count', L.pairs, 1, 1e6, true), {
      subjectShare: num(v, 'subject-share', M.subjectShare, 0, 1), haikuShare: num(v, 'haiku-share', M.haikuShare, 0, 1),
      syllableBalance: num(v, 'syllable-balance', M.syllableBalance, 0, 1), peopleShare: num(v, 'people-share', M.peopleShare, 0, 1),
      variedLines: onOff(v, 'varied-lines', M.variedLines),
    });
  else pairs = parseJsonl<{ prompt: string; response: string }>(readTextFile('pairs', source), checkPair, `${source} line`);
  if (!pairs.length) throw new UsageError(`--pairs: "${source}" holds no pairs`);
  const share = num(v, 'mix-share', 0, 0, 0.9);
  const batchSize = num(v, 'batch', L.batchSize, 1, 512, true);
  // --save-every: the run is the same (schedule by absolute step, optimiser carried), with a checkpoint every N steps.
  const saveEvery = num(v, 'save-every', 0, 0, 1e6, true);
  const saveDir = str(v, 'save-dir');
  if (saveEvery && !saveDir) throw new UsageError('--save-every needs --save-dir DIR');
  const file = readModelBytes(name);
  await startBackend(str(v, 'backend', 'auto')!, json);
  const startedAt = performance.now();
  const { model, tokenizer, header } = await loadModel(file);
  const seqs = pairs.map((p) => renderChat(tokenizer, [{ role: 'user', content: p.prompt }, { role: 'assistant', content: p.response }]));
  const mix = share > 0 ? { tokens: corpusTokens(tokenizer, buildCorpus(seed + 1, 300_000)), share } : undefined;
  const stage = sftStage(seqs, { batchSize, seed, pad: tokenizer.special('<|pad|>'), blockSize: model.config.blockSize, mix });
  const unknown = unknownNote(tokenizer, pairs.flatMap((p) => [p.prompt, p.response]));
  if (unknown) emit(json, { note: unknown }, unknown);
  if (stage.unfit) emit(json, { unfit: stage.unfit, pairs: stage.examples, blockSize: model.config.blockSize }, unfitNote(stage, model.config.blockSize));
  const result = await trainInChunks(model, stage, {
    iters, every: saveEvery || iters, clip: 1, logEvery: json ? 1 : 10, schedule: tenthCosine(lr, iters, warmup),
    onProgress: (p) => emit(json, { step: p.step, loss: p.loss, lr: p.lr, tokensPerSec: Math.round(p.tokensPerSec) },
      `step ${p.step}/${iters}  loss ${p.loss.toFixed(4)}  ${p.msPerStep.toFixed(0)} ms/step`),
  }, async (r) => {
    if (!saveEvery || r.step >= iters) return;
    const file = join(saveDir!, `sft-step${r.step}.heed`);
    writeFileSync(file, await saveCheckpoint(model, tokenizer, { stage: 'sft', step: header.step + r.step, seed, preset: header.preset, metrics: { sftLoss: r.lastLoss } }));
    emit(json, { step: r.step, saved: file }, `saved ${file}`);
  });
  if (result.reason === 'nonfinite') throw new Error(result.message);
  const ship = str(v, 'ship');
  const out = str(v, 'out') ?? (ship ? shippedPath(ship) : undefined);
  if (out) writeFileSync(out, await saveCheckpoint(model, tokenizer, { stage: 'sft', step: header.step + result.step, seed, preset: header.preset, metrics: { sftLoss: result.lastLoss } }));
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  if (ship) shipModel({ name: ship, stage: 'sft', preset: header.preset ?? 'custom', steps: result.step, seed, command: `npm run heed -- sft ${argv.join(' ')}`, seconds, machine: machineDescription() });
  emit(json, { done: true, seconds, step: result.step, loss: result.lastLoss, out: out ?? null }, `done: ${result.step} SFT steps, loss ${result.lastLoss.toFixed(4)}${out ? `, saved ${out}` : ''}`);
  model.dispose();
  result.optimizer.dispose();
}
