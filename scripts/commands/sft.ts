/** heed sft: instruction-tune a checkpoint on pairs (built in, from the tasks, or a JSONL file). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSftPairs } from '../../src/datasets/pairs.ts';
import { LESSON_SFT } from '../../src/datasets/lesson.ts';
import { buildCorpus, corpusTokens } from '../../src/datasets/corpus.ts';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { unfitNote, unknownNote } from '../../src/engine/sft.ts';
import { runSft, sftData } from '../../src/stages/sft.ts';
import { SFT_PAIR_PARAMS, SFT_PARAMS } from '../../src/stages/settings.ts';
import { checkPair, parseJsonl } from '../../src/eval/jsonl.ts';
import { UsageError, emit, flag, flagHelp, flagSpec, num, parse, readTextFile, str } from '../lib/args.ts';
import { loadModel, readModelBytes, shipModel, shippedPath } from '../lib/models.ts';
import { machineDescription } from '../lib/node.ts';
import { startBackend } from '../lib/session.ts';

const { probeEvery: _probes, ...RUN } = SFT_PARAMS; // the CLI saves checkpoints (--save-every) instead of probing
const P = SFT_PAIR_PARAMS;
const L = LESSON_SFT;

export const sftHelp = `heed sft --model NAME|FILE --pairs builtin|FILE --out FILE [options]
  Defaults are the lesson recipe the page offers (src/datasets/lesson.ts).
  --pairs builtin|FILE   generated pairs (training topics and phrasings only) or {"prompt","response"} JSONL
${flagHelp(RUN)}
${flagHelp(P)}
  --varied-lines on|off  list and lines answers take a different related word per line (default ${L.mix.variedLines ? 'on' : 'off'})
  --backend NAME  --json
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
    model: { type: 'string' }, pairs: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' }, ship: { type: 'string' },
    'save-every': { type: 'string' }, 'save-dir': { type: 'string' }, 'varied-lines': { type: 'string' }, ...flagSpec(RUN), ...flagSpec(P),
  });
  const json = Boolean(v.json);
  const name = str(v, 'model');
  const source = str(v, 'pairs');
  if (!name || !source) throw new UsageError('sft needs --model NAME|FILE and --pairs builtin|FILE');
  const o = { iters: flag(v, RUN.iters), lr: flag(v, RUN.lr), warmup: flag(v, RUN.warmup) };
  const seed = flag(v, RUN.seed);
  let pairs;
  if (source === 'builtin') pairs = makeSftPairs(seed, flag(v, P.count), {
      subjectShare: flag(v, P.subjectShare), haikuShare: flag(v, P.haikuShare), syllableBalance: flag(v, P.syllableBalance), peopleShare: flag(v, P.peopleShare),
      subjectEcho: flag(v, P.subjectEcho), topicHaikuShare: flag(v, P.topicHaikuShare),
      variedLines: onOff(v, 'varied-lines', L.mix.variedLines),
    });
  else pairs = parseJsonl<{ prompt: string; response: string }>(readTextFile('pairs', source), checkPair, `${source} line`);
  if (!pairs.length) throw new UsageError(`--pairs: "${source}" holds no pairs`);
  const share = flag(v, P.mixShare);
  const batchSize = flag(v, RUN.batchSize);
  // --save-every: the run is the same (schedule by absolute step, optimiser carried), with a checkpoint every N steps.
  const saveEvery = num(v, 'save-every', 0, 0, 1e6, true);
  const saveDir = str(v, 'save-dir');
  if (saveEvery && !saveDir) throw new UsageError('--save-every needs --save-dir DIR');
  const file = readModelBytes(name);
  await startBackend(str(v, 'backend', 'auto')!, json);
  const startedAt = performance.now();
  const { model, tokenizer, header } = await loadModel(file);
  const mix = share > 0 ? { tokens: corpusTokens(tokenizer, buildCorpus(seed + 1, 300_000)), share } : undefined;
  const stage = sftData(model, tokenizer, pairs, { batchSize, seed, mix });
  const unknown = unknownNote(tokenizer, pairs.flatMap((p) => [p.prompt, p.response]));
  if (unknown) emit(json, { note: unknown }, unknown);
  if (stage.unfit) emit(json, { unfit: stage.unfit, pairs: stage.examples, blockSize: model.config.blockSize }, unfitNote(stage, model.config.blockSize));
  const result = await runSft(model, stage, { ...o, every: saveEvery }, {
    logEvery: json ? 1 : 10,
    onProgress: (p) => emit(json, { step: p.step, loss: p.loss, lr: p.lr, tokensPerSec: Math.round(p.tokensPerSec) },
      `step ${p.step}/${p.iters}  loss ${p.loss.toFixed(4)}  ${p.msPerStep.toFixed(0)} ms/step`),
    between: async (r) => {
      if (!saveEvery || r.step >= o.iters) return;
      const file = join(saveDir!, `sft-step${r.step}.heed`);
      writeFileSync(file, await saveCheckpoint(model, tokenizer, { stage: 'sft', step: header.step + r.step, seed, preset: header.preset, metrics: { sftLoss: r.lastLoss } }));
      emit(json, { step: r.step, saved: file }, `saved ${file}`);
    },
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
