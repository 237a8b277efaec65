/**
 * npm run bench:steer — does a learner's taste move the model? A scripted
 * learner with a fixed taste (src/eval/tastes.ts) rates pairs of sampled
 * answers from the shipped `sft`: it picks by the taste's check, 10 % of
 * picks flipped (human noise); pairs where the taste ties are skipped, as a
 * person would. Then, from `sft` each: a reward model trained on the picks
 * and RL rewarded by it; DPO on the picks. Measured: the taste meter (greedy
 * answers to 40 fixed prompts no stage saw), prompt-level strict on the
 * held-out suite, and the reward model's accuracy on fresh pairs it never
 * trained on, judged by the taste's check (no noise). Ends with one JSON line
 * {"taste","picks","rmHeldoutAccuracy","tasteBefore","tasteAfterRl","tasteAfterDpo",
 *  "heldoutBefore","heldoutAfterRl","heldoutAfterDpo","seconds","backend", ...}
 * where `seconds` is the reward model, RL and DPO (the time after the picks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type PreferencePair, renderPreference } from '../src/data/pairs.ts';
import { loadCheckpoint } from '../src/engine/checkpoint.ts';
import { trainDpo } from '../src/engine/dpo.ts';
import type { GPT } from '../src/engine/model.ts';
import { rewardAccuracy, trainRewardModel } from '../src/engine/rewardModel.ts';
import { RlTrainer } from '../src/engine/rl.ts';
import { Rng } from '../src/engine/rng.ts';
import type { CharTokenizer } from '../src/engine/tokenizer.ts';
import { modelReward } from '../src/eval/rewards.ts';
import { evaluateModel } from '../src/eval/run.ts';
import { ratingPair, readMeter } from '../src/eval/steer.ts';
import { makeSuite } from '../src/eval/suite.ts';
import { type Taste, meterPrompts, ratingPrompts, scriptedPick, tasteById } from '../src/eval/tastes.ts';
import { UsageError, num, parse, str } from './lib/args.ts';
import { readModelBytes } from './lib/models.ts';
import { machineDescription } from './lib/node.ts';
import { startBackend } from './lib/session.ts';

const v = parse(process.argv.slice(2), {
  taste: { type: 'string' }, picks: { type: 'string' }, 'heldout-pairs': { type: 'string' }, seed: { type: 'string' }, model: { type: 'string' },
  backend: { type: 'string' }, 'rm-iters': { type: 'string' }, 'rl-iters': { type: 'string' }, 'rl-lr': { type: 'string' }, 'rl-beta': { type: 'string' },
  'dpo-iters': { type: 'string' }, 'dpo-lr': { type: 'string' }, 'dpo-beta': { type: 'string' }, flip: { type: 'string' }, 'suite-size': { type: 'string' },
  'save-picks': { type: 'string' }, 'load-picks': { type: 'string' }, 'rm-lr': { type: 'string' },
});
let taste: Taste;
try {
  taste = tasteById(str(v, 'taste', 'colour')!);
} catch (e) {
  throw new UsageError(`--taste: ${(e as Error).message}`);
}
const o = {
  picks: num(v, 'picks', 30, 2, 1000, true), heldoutPairs: num(v, 'heldout-pairs', 20, 1, 1000, true), seed: num(v, 'seed', 1, 0, 2 ** 31, true),
  flip: num(v, 'flip', 0.1, 0, 0.5), rmIters: num(v, 'rm-iters', 100, 1, 1e5, true), rmLr: num(v, 'rm-lr', 3e-3, 1e-8, 1),
  rlIters: num(v, 'rl-iters', 12, 1, 1e5, true), rlLr: num(v, 'rl-lr', 1e-4, 1e-8, 1), rlBeta: num(v, 'rl-beta', 0.02, 0, 10),
  dpoIters: num(v, 'dpo-iters', 30, 1, 1e5, true), dpoLr: num(v, 'dpo-lr', 1e-4, 1e-8, 1), dpoBeta: num(v, 'dpo-beta', 0.1, 0.001, 10),
};
const name = str(v, 'model', 'sft')!;
const info = await startBackend(str(v, 'backend', 'wasm')!, false);
const bytes = readModelBytes(name).bytes;
const load = () => loadCheckpoint(bytes);
const suite = makeSuite('heldout').slice(0, num(v, 'suite-size', 120, 0, 120, true)); // 0: skip it (for quick tries)
const meter = meterPrompts();
const started = performance.now();

async function measure(label: string, model: GPT, tokenizer: CharTokenizer) {
  const m = await readMeter(model, tokenizer, taste, meter);
  const strict = suite.length ? (await evaluateModel(model, tokenizer, suite, { maxNewTokens: 160 })).summary.promptStrict : NaN;
  console.log(`${label}: taste meter ${(m.share * 100).toFixed(1)} % of ${meter.length} fixed prompts, held-out prompt strict ${(strict * 100).toFixed(1)} %`);
  for (const a of m.answers.slice(0, 3)) console.log(`  ${JSON.stringify(a.prompt)} -> ${JSON.stringify(a.answer)}`);
  return { share: m.share, strict };
}

/** The scripted learner rates pairs until it has `n` picks (ties skipped); `flip` = 0 gives the taste's true labels. */
async function rate(model: GPT, tokenizer: CharTokenizer, prompts: string[], n: number, rng: Rng, flip: number) {
  const picks: PreferencePair[] = [];
  let shown = 0;
  for (let i = 0; picks.length < n; i++) {
    if (i >= prompts.length) throw new Error(`ran out of prompts: ${picks.length} of ${n} picks from ${prompts.length} prompts`);
    const pair = await ratingPair(model, tokenizer, prompts[i], o.seed * 100003 + i * 7, taste);
    if (!pair) continue;
    shown++;
    const pick = scriptedPick(taste, pair[0], pair[1], rng, flip);
    if (pick !== null) picks.push({ prompt: prompts[i], chosen: pair[pick], rejected: pair[1 - pick] });
  }
  return { picks, shown };
}

console.log(`taste: ${taste.name} — ${taste.describe}\nseed ${o.seed}, ${o.picks} picks, ${(o.flip * 100).toFixed(0)} % flipped, from ${name}`);
const start = load();
const before = await measure('before (sft)', start.model, start.tokenizer);
const prompts = ratingPrompts(2000, 11 + o.seed);
const rng = new Rng(o.seed);
// --save-picks / --load-picks FILE: rate once, then try stage settings on the same picks.
const loadFrom = str(v, 'load-picks');
const { rated, fresh } = loadFrom
  ? (JSON.parse(readFileSync(loadFrom, 'utf8')) as { rated: Awaited<ReturnType<typeof rate>>; fresh: Awaited<ReturnType<typeof rate>> })
  : { rated: await rate(start.model, start.tokenizer, prompts.slice(0, 1000), o.picks, rng, o.flip), fresh: await rate(start.model, start.tokenizer, prompts.slice(1000), o.heldoutPairs, rng, 0) };
if (str(v, 'save-picks')) writeFileSync(str(v, 'save-picks')!, JSON.stringify({ rated, fresh }));
const flipped = rated.picks.filter((p) => taste.score(p.chosen) < taste.score(p.rejected)).length;
console.log(`rated ${rated.shown} pairs shown: ${rated.picks.length} picks (${flipped} against the taste), ${fresh.picks.length} fresh pairs to test the reward model`);
const tk = start.tokenizer;
const pad = tk.special('<|pad|>');
const trainSeqs = rated.picks.map((p) => renderPreference(tk, p));
const testSeqs = fresh.picks.map((p) => renderPreference(tk, p));

const tuning = performance.now();
const { rm, result } = await trainRewardModel(start.model.copy(), trainSeqs, { iters: o.rmIters, lr: o.rmLr, batchSize: 8, seed: o.seed, pad, readout: 'sum' });
result.optimizer.dispose();
rm.trunk.trainableVariables.forEach((w) => (w.trainable = false));
const rmAcc = (await rewardAccuracy(rm, testSeqs, { batchSize: 8, seed: o.seed, pad, blockSize: rm.trunk.config.blockSize })).rmAccuracy;
const rmSeconds = (performance.now() - tuning) / 1000;
console.log(`reward model: ${o.rmIters} steps on ${trainSeqs.length} picks, held-out accuracy ${(rmAcc * 100).toFixed(1)} % on ${testSeqs.length} fresh pairs (${rmSeconds.toFixed(0)} s)`);

const rlStart = performance.now();
const rlModel = load().model;
const ref = rlModel.frozenCopy();
const rl = new RlTrainer(rlModel, ref, tk, { k: 4, promptsPerStep: 4, beta: o.rlBeta, temperature: 1, maxNewTokens: 120, seed: o.seed });
const rlPrompts = prompts.slice(0, 1000).map((p) => ({ prompt: p, reward: modelReward(rm, tk, p) }));
for (let i = 0; i < o.rlIters; i++) {
  const s = (await rl.trainStep(rlPrompts, { lr: o.rlLr, minLr: o.rlLr, warmup: 0, decaySteps: o.rlIters }))!;
  console.log(`rl step ${s.step}/${o.rlIters}  reward ${s.reward.toFixed(3)}  kl ${s.kl.toFixed(3)}`);
}
rl.dispose();
ref.dispose();
rm.dispose();
const rlSeconds = (performance.now() - rlStart) / 1000;

const dpoStart = performance.now();
const dpoModel = load().model;
const d = await trainDpo(dpoModel, trainSeqs, { iters: o.dpoIters, lr: o.dpoLr, beta: o.dpoBeta, batchSize: 8, seed: o.seed, pad });
d.optimizer.dispose();
if (d.reason !== 'done') throw new Error(`DPO stopped: ${d.reason} ${d.message ?? ''}`);
const dpoSeconds = (performance.now() - dpoStart) / 1000;
const seconds = (performance.now() - tuning) / 1000;
console.log(`after the picks: reward model ${rmSeconds.toFixed(0)} s, RL ${rlSeconds.toFixed(0)} s, DPO ${dpoSeconds.toFixed(0)} s`);

const afterRl = await measure('after RL by the reward model', rlModel, tk);
const afterDpo = await measure('after DPO on the picks', dpoModel, tk);
[start.model, rlModel, dpoModel].forEach((m) => m.dispose());
const r3 = (x: number) => Math.round(x * 1000) / 1000;
console.log(`${((performance.now() - started) / 1000).toFixed(0)} s in all on ${info.name}, ${machineDescription()}`);
console.log(JSON.stringify({
  taste: taste.id, picks: rated.picks.length, rmHeldoutAccuracy: r3(rmAcc),
  tasteBefore: r3(before.share), tasteAfterRl: r3(afterRl.share), tasteAfterDpo: r3(afterDpo.share),
  heldoutBefore: r3(before.strict), heldoutAfterRl: r3(afterRl.strict), heldoutAfterDpo: r3(afterDpo.strict),
  seconds: Math.round(seconds), backend: info.name,
  seed: o.seed, shown: rated.shown, flipped, rmSeconds: Math.round(rmSeconds), rlSeconds: Math.round(rlSeconds), dpoSeconds: Math.round(dpoSeconds),
  totalSeconds: Math.round((performance.now() - started) / 1000),
}));
