/** heed rm: train a reward model (the model's trunk plus a scalar head) on preference pairs. */
import { trainRewardModel } from '../../src/engine/rewardModel.ts';
import type { PreferenceSequences } from '../../src/engine/dpo.ts';
import type { GPT } from '../../src/engine/model.ts';
import { UsageError, emit, flagHelp, flagSpec, num, parse, readFlags, str } from '../lib/args.ts';
import { REWARD_MODEL_PARAMS } from '../../src/stages/settings.ts';
import { loadModel, readModelBytes } from '../lib/models.ts';
import { AIM_FLAGS, readAim, readPreferences } from '../lib/prefs.ts';
import { renderPreference, splitHeldOut } from '../../src/datasets/pairs.ts';
import { startBackend } from '../lib/session.ts';

export const rmHelp = `heed rm --model NAME|FILE --pairs builtin|FILE --iters N [options]
  Trains a reward model (Bradley-Terry) from the model's trunk; prints held-out pair accuracy.
${flagHelp(REWARD_MODEL_PARAMS)}
  --count N (default 2000) --eval-every N (default 50) --types ID,ID --type-share X --backend NAME --json`;

/** A reward model from `trunk` (used and changed: pass a copy), printing its lines; a fifth of the pairs (at most 200) held out from 10 pairs on. Shared with `heed rl --reward rm`. */
export function trainRewardModelCli(trunk: GPT, pairs: PreferenceSequences[], o: { iters: number; lr: number; batch: number; seed: number; evalEvery: number; pad: number; json: boolean }) {
  const { train: trainPairs, measure } = splitHeldOut(pairs);
  return trainRewardModel(trunk, trainPairs, {
    iters: o.iters, lr: o.lr, batchSize: o.batch, seed: o.seed, pad: o.pad, heldOut: measure, evalEvery: o.evalEvery, logEvery: o.json ? 1 : 10,
    onProgress: (p) => emit(o.json, { stage: 'rm', step: p.step, loss: p.loss }, `rm step ${p.step}/${p.iters}  loss ${p.loss.toFixed(4)}`),
    onEval: (e) => emit(o.json, e, `rm eval @${e.step}: held-out accuracy ${(e.rmAccuracy * 100).toFixed(1)}%  loss ${e.rmLoss.toFixed(4)}`),
  });
}

/** Returns what the benchmark reads; prints the rest. */
export async function rmCommand(argv: string[]): Promise<{ seconds: number; rmAccuracy: number }> {
  const v = parse(argv, {
    model: { type: 'string' }, pairs: { type: 'string' }, count: { type: 'string' }, ...flagSpec(REWARD_MODEL_PARAMS), 'eval-every': { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' }, ...AIM_FLAGS,
  });
  const json = Boolean(v.json);
  const name = str(v, 'model');
  if (!name) throw new UsageError('rm needs --model NAME|FILE');
  const { iters, lr, batchSize: batch, seed } = readFlags(v, REWARD_MODEL_PARAMS);
  const o = { iters, lr, batch, seed, evalEvery: num(v, 'eval-every', 50, 1, 1e6, true) };
  const pairs = readPreferences(str(v, 'pairs'), seed, num(v, 'count', 2000, 1, 1e6, true), readAim(v));
  const file = readModelBytes(name);
  await startBackend(str(v, 'backend', 'auto')!, json);
  const startedAt = performance.now();
  const { model, tokenizer } = await loadModel(file);
  const { rm, result } = await trainRewardModelCli(model, pairs.map((p) => renderPreference(tokenizer, p)), { ...o, pad: tokenizer.special('<|pad|>'), json });
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  emit(json, { done: true, seconds, step: result.step, rmAccuracy: result.lastEval?.rmAccuracy, rmLoss: result.lastEval?.rmLoss },
    `done: ${result.step} steps, held-out accuracy ${((result.lastEval?.rmAccuracy ?? NaN) * 100).toFixed(1)}%`);
  rm.dispose();
  result.optimizer.dispose();
  return { seconds, rmAccuracy: result.lastEval?.rmAccuracy ?? NaN };
}
