/** heed dpo: preference-tune a checkpoint against a frozen copy of itself. */
import { writeFileSync } from 'node:fs';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { runDpo } from '../../src/stages/dpo.ts';
import { UsageError, emit, flagHelp, flagSpec, num, parse, readFlags, str } from '../lib/args.ts';
import { DPO_PARAMS } from '../../src/stages/settings.ts';
import { loadModel, readModelBytes, shipModel, shippedPath } from '../lib/models.ts';
import { machineDescription } from '../lib/node.ts';
import { AIM_FLAGS, readAim, readPreferences } from '../lib/prefs.ts';
import { startBackend } from '../lib/session.ts';

const D = DPO_PARAMS;

export const dpoHelp = `heed dpo --model NAME|FILE --pairs builtin|FILE --iters N [options]
  --pairs builtin|FILE   generated pairs (reference answer over a near miss) or {"prompt","chosen","rejected"} JSONL
${flagHelp(D)}
  --count N (default 2000)  --eval-every N (default 50)
  --types ID,ID --type-share X (that share of built-in pairs hold one of these types, the near miss breaking it; default 1)
  --backend NAME  --out FILE  --ship NAME  --json
  Eval lines: implicit rewards of chosen and rejected, their margin and preference accuracy on held-out pairs.`;

/** Returns what the benchmark reads; prints the rest. */
export async function dpoCommand(argv: string[]): Promise<{ seconds: number }> {
  const v = parse(argv, {
    model: { type: 'string' }, pairs: { type: 'string' }, count: { type: 'string' }, ...flagSpec(D), 'eval-every': { type: 'string' },
    backend: { type: 'string' }, out: { type: 'string' }, ship: { type: 'string' }, json: { type: 'boolean' }, ...AIM_FLAGS,
  });
  const json = Boolean(v.json);
  const name = str(v, 'model');
  if (!name) throw new UsageError('dpo needs --model NAME|FILE');
  const { iters, seed, beta, lr, batchSize, sftWeight, keep } = readFlags(v, D);
  const evalEvery = num(v, 'eval-every', 50, 1, 1e6, true);
  const pairs = readPreferences(str(v, 'pairs'), seed, num(v, 'count', 2000, 1, 1e6, true), readAim(v));
  const file = readModelBytes(name);
  await startBackend(str(v, 'backend', 'auto')!, json);
  const startedAt = performance.now();
  const { model, tokenizer, header } = await loadModel(file);
  const result = await runDpo(model, tokenizer, pairs, { iters, lr, beta, batchSize, seed, sftWeight, keep }, {
    logEvery: json ? 1 : 10, evalEvery,
    onProgress: (p) => emit(json, { step: p.step, loss: p.loss, lr: p.lr, tokensPerSec: Math.round(p.tokensPerSec) }, `step ${p.step}/${p.iters}  loss ${p.loss.toFixed(4)}  ${p.msPerStep.toFixed(0)} ms/step`),
    onEval: (e) => emit(json, e, `eval @${e.step}: reward chosen ${e.rewardChosen.toFixed(3)}  rejected ${e.rewardRejected.toFixed(3)}  margin ${e.margin.toFixed(3)}  accuracy ${(e.accuracy * 100).toFixed(1)}%`),
  });
  if (result.reason === 'nonfinite') throw new Error(result.message);
  const ship = str(v, 'ship');
  const out = str(v, 'out') ?? (ship ? shippedPath(ship) : undefined);
  if (out) writeFileSync(out, await saveCheckpoint(model, tokenizer, { stage: 'dpo', step: header.step + result.step, seed, preset: header.preset, metrics: { ...result.lastEval } }));
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  if (ship) shipModel({ name: ship, stage: 'dpo', preset: header.preset ?? 'custom', steps: result.step, seed, command: `npm run heed -- dpo ${argv.join(' ')}`, seconds, machine: machineDescription() });
  emit(json, { done: true, seconds, step: result.step, loss: result.lastLoss, ...result.lastEval, out: out ?? null }, `done: ${result.step} DPO steps${out ? `, saved ${out}` : ''}`);
  model.dispose();
  result.optimizer.dispose();
  return { seconds };
}
