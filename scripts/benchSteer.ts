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
 * per taste (a taste the model's samples seldom differ on, so that 1000
 * prompts give too few picks, gets `"rateable": false` and nulls; the run
 * goes on to the next) (`--taste a,b,c` runs several in one process, sharing the start
 * model's measurements), where `seconds` is the reward model, RL and DPO
 * (the time after the picks). `--picks-dir DIR` keeps each taste and seed's
 * picks there and reuses them, to try stage settings on the same picks.
 * `--pairs-by similar|different` and `--temperature` choose how pairs are
 * sampled; `--routes rl|dpo` runs one route; `--dpo-sft-weight` adds the
 * chosen answers' NLL to DPO's loss; `--keep X` is the share of each
 * route's step kept at the end (the page's 0.5: the mean of the start's and
 * the tuned weights; 1: the tuned model as trained). `--rm-readout` chooses
 * the reward model: `words` (the page's: one weight per word,
 * src/engine/wordRewardModel.ts) or a head on the frozen GPT trunk (`peak`,
 * `mean`, `last`; `--rm-iters`, `--rm-lr`). `--heldout-pairs` fresh pairs
 * (60) measure the reward model. RL's sampling: `--rl-temperature`,
 * `--rl-prompts` (per step), `--rl-k` (answers per prompt); `--rl-checks X` adds X times the prompt's
 * checks' reward to the reward model's. To choose a setting without the
 * held-out suite: `--suite train` (the training suite's 120 prompts stand in
 * for it) and `--meter-seed N` (another 40 fixed prompts). `--export-picks
 * FILE` writes each taste's picks as the page's JSONL ({"prompt", "chosen",
 * "rejected"}; TASTE in FILE becomes the taste's id), for `heed rl --reward
 * words --pairs FILE` (how the shipped `pref` was made) or `heed dpo`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PreferencePair, renderPreference } from '../src/datasets/pairs.ts';
import type { PreferenceSequences } from '../src/engine/dpo.ts';
import { strongestWords, trainWordRewardModel, wordRewardAccuracy } from '../src/engine/wordRewardModel.ts';
import { loadCheckpoint } from '../src/engine/checkpoint.ts';
import { trainDpo } from '../src/engine/dpo.ts';
import type { GPT } from '../src/engine/model.ts';
import { type Readout, rewardAccuracy, trainRewardModel } from '../src/engine/rewardModel.ts';
import { chatPrompt, runRl, trunkReward, wordsReward } from '../src/stages/rl.ts';
import { DPO_STEER, TRUNK_PROBE_STEER, RL_DEFAULTS, RL_STEER, WORD_REWARD_MODEL } from '../src/stages/settings.ts';
import { Rng } from '../src/engine/rng.ts';
import type { CharTokenizer } from '../src/engine/tokenizer.ts';
import { checksReward } from '../src/eval/rewards.ts';
import { answers, evaluateModel } from '../src/eval/run.ts';
import { CANDIDATES, METER_SEED, RATING_TEMPERATURE, meterPrompts, ratingExamples, ratingPair } from '../src/eval/steer.ts';
import { suiteByName } from '../src/eval/suite.ts';
import { type Taste, scriptedPick, tasteById, tasteShare } from '../src/eval/tastes.ts';
import { UsageError, num, parse, str } from './lib/args.ts';
import { readModelBytes } from './lib/models.ts';
import { machineDescription } from './lib/node.ts';
import { startBackend } from './lib/session.ts';

const v = parse(process.argv.slice(2), {
  taste: { type: 'string' }, picks: { type: 'string' }, 'heldout-pairs': { type: 'string' }, seed: { type: 'string' }, model: { type: 'string' },
  backend: { type: 'string' }, 'rm-iters': { type: 'string' }, 'rm-lr': { type: 'string' }, 'rm-readout': { type: 'string' }, 'rm-only': { type: 'boolean' },
  'rl-iters': { type: 'string' }, 'rl-lr': { type: 'string' }, 'rl-beta': { type: 'string' },
  'dpo-iters': { type: 'string' }, 'dpo-lr': { type: 'string' }, 'dpo-beta': { type: 'string' }, flip: { type: 'string' },
  'suite-size': { type: 'string' }, 'picks-dir': { type: 'string' }, 'export-picks': { type: 'string' }, temperature: { type: 'string' }, 'pairs-by': { type: 'string' }, routes: { type: 'string' }, 'dpo-sft-weight': { type: 'string' }, keep: { type: 'string' }, 'rl-checks': { type: 'string' }, 'rl-temperature': { type: 'string' }, 'rl-prompts': { type: 'string' }, 'rl-k': { type: 'string' }, suite: { type: 'string' }, 'meter-seed': { type: 'string' },
});
let tastes: Taste[];
try {
  tastes = str(v, 'taste', 'colour')!.split(',').map((t) => tasteById(t.trim()));
} catch (e) {
  throw new UsageError(`--taste: ${(e as Error).message}`);
}
const readout = str(v, 'rm-readout', 'words') as Readout | 'words';
if (!['last', 'mean', 'peak', 'words'].includes(readout)) throw new UsageError(`--rm-readout must be words, last, mean or peak, got "${readout}"`);
const o = {
  picks: num(v, 'picks', 30, 2, 1000, true), heldoutPairs: num(v, 'heldout-pairs', 60, 1, 1000, true), seed: num(v, 'seed', 1, 0, 2 ** 31, true),
  flip: num(v, 'flip', 0.1, 0, 0.5), rmIters: num(v, 'rm-iters', TRUNK_PROBE_STEER.iters, 1, 1e5, true), rmLr: num(v, 'rm-lr', TRUNK_PROBE_STEER.lr, 1e-8, 1),
  rlIters: num(v, 'rl-iters', RL_STEER.iters, 1, 1e5, true), rlLr: num(v, 'rl-lr', RL_STEER.lr, 1e-8, 1), rlBeta: num(v, 'rl-beta', RL_STEER.beta, 0, 10),
  dpoIters: num(v, 'dpo-iters', DPO_STEER.iters, 1, 1e5, true), dpoLr: num(v, 'dpo-lr', DPO_STEER.lr, 1e-8, 1), dpoBeta: num(v, 'dpo-beta', DPO_STEER.beta, 0.001, 10),
  rlChecks: num(v, 'rl-checks', 0, 0, 10), rlTemperature: num(v, 'rl-temperature', RL_STEER.temperature, 0.05, 5),
  rlPromptsPerStep: num(v, 'rl-prompts', RL_STEER.promptsPerStep, 1, 64, true), rlK: num(v, 'rl-k', RL_STEER.k, 2, 64, true),
};
const prefer = str(v, 'pairs-by', 'different') as 'similar' | 'different';
if (!['similar', 'different'].includes(prefer)) throw new UsageError(`--pairs-by must be similar or different, got "${prefer}"`);
const temperature = num(v, 'temperature', RATING_TEMPERATURE, 0.05, 2);
const routes = new Set(str(v, 'routes', 'rl,dpo')!.split(',').map((r) => r.trim()));
if (![...routes].every((r) => r === 'rl' || r === 'dpo')) throw new UsageError(`--routes lists rl and/or dpo, got "${str(v, 'routes')}"`);
const dpoSftWeight = num(v, 'dpo-sft-weight', 0, 0, 10);
const keep = num(v, 'keep', RL_STEER.keep, 0, 1); // the page's: half the step kept, for RL and DPO alike
const name = str(v, 'model', 'sft')!;
const picksDir = str(v, 'picks-dir');
const info = await startBackend(str(v, 'backend', 'wasm')!, false);
const bytes = readModelBytes(name).bytes;
const load = () => loadCheckpoint(bytes);
const suiteName = str(v, 'suite', 'heldout')!;
if (suiteName !== 'heldout' && suiteName !== 'train') throw new UsageError(`--suite must be heldout or train, got "${suiteName}"`);
const suite = suiteByName(suiteName).slice(0, num(v, 'suite-size', 120, 0, 120, true)); // 0: skip it (for quick tries)
const meterSeed = num(v, 'meter-seed', METER_SEED, 0, 2 ** 31, true);
const meter = meterPrompts(40, meterSeed);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Greedy answers to the meter's prompts and the held-out suite's prompt-level strict (NaN with --suite-size 0). */
async function measure(model: GPT, tokenizer: CharTokenizer) {
  const meterAnswers = await answers(model, tokenizer, meter, { maxNewTokens: 120 });
  const strict = suite.length ? (await evaluateModel(model, tokenizer, suite, { maxNewTokens: 160 })).summary.promptStrict : NaN;
  return { answers: meterAnswers, strict };
}

function report(label: string, taste: Taste, m: Awaited<ReturnType<typeof measure>>) {
  const share = tasteShare(taste, m.answers);
  console.log(`${label}: taste meter ${(share * 100).toFixed(1)} % of ${meter.length} fixed prompts, ${suiteName} suite prompt strict ${(m.strict * 100).toFixed(1)} %`);
  for (const i of [0, 1, 4]) console.log(`  ${JSON.stringify(meter[i])} -> ${JSON.stringify(m.answers[i])}`);
  return share;
}

type Rated = { picks: PreferencePair[]; shown: number };

/**
 * The scripted learner rates pairs until it has `n` picks (ties skipped); `flip` = 0 gives the taste's true labels.
 * Fewer than `n` when the prompts run out: the model's samples seldom differ on the taste.
 */
async function rate(taste: Taste, model: GPT, tokenizer: CharTokenizer, prompts: string[], n: number, rng: Rng, flip: number): Promise<Rated> {
  const picks: PreferencePair[] = [];
  let shown = 0;
  for (let i = 0; picks.length < n && i < prompts.length; i++) {
    const pair = await ratingPair(model, tokenizer, prompts[i], o.seed * 100003 + i * 7, taste, { temperature, prefer });
    if (!pair) continue;
    shown++;
    const pick = scriptedPick(taste, pair[0], pair[1], rng, flip);
    if (pick !== null) picks.push({ prompt: prompts[i], chosen: pair[pick], rejected: pair[1 - pick] });
  }
  return { picks, shown };
}

/** The reward model of the page (one weight per word): the RL reward per prompt, its accuracy on the fresh pairs. */
function wordRm(picks: PreferencePair[], freshPicks: PreferencePair[]) {
  const { model, accuracy } = trainWordRewardModel(picks, WORD_REWARD_MODEL);
  const { liked, disliked } = strongestWords(model, 6);
  const show = (ws: [string, number][]) => ws.map(([w, x]) => `${w} ${x.toFixed(2)}`).join(', ');
  console.log(`reward model (one weight per word): ${(accuracy * 100).toFixed(0)} % of its picks; likes ${show(liked)}; dislikes ${show(disliked)}`);
  return { reward: wordsReward(model), rmAcc: wordRewardAccuracy(model, freshPicks), dispose: () => {} };
}

/** A reward model on the frozen GPT trunk (the earlier page's). */
async function trunkRm(trainSeqs: PreferenceSequences[], testSeqs: PreferenceSequences[], ro: Readout) {
  const { rm, result } = await trainRewardModel(start.model.copy(), trainSeqs, { iters: o.rmIters, lr: o.rmLr, batchSize: 8, seed: o.seed, pad, readout: ro });
  result.optimizer.dispose();
  rm.trunk.trainableVariables.forEach((w) => (w.trainable = false));
  const rmAcc = (await rewardAccuracy(rm, testSeqs, { batchSize: 8, seed: o.seed, pad, blockSize: rm.trunk.config.blockSize })).rmAccuracy;
  return { reward: trunkReward(rm, tk), rmAcc, dispose: () => rm.dispose() };
}

/** The reward model's reward, plus `--rl-checks` times the share of the prompt's checks passed. */
function withChecks(r: (a: string) => number | Promise<number>, checks: (a: string) => number) {
  return o.rlChecks ? async (a: string) => (await r(a)) + o.rlChecks * checks(a) : r;
}

const started = performance.now();
const start = await load();
const tk = start.tokenizer;
const pad = tk.special('<|pad|>');
const before = await measure(start.model, tk);
const examples = ratingExamples(2000, 11 + o.seed); // with each prompt's checks
const prompts = examples.map((e) => e.prompt);
const lines: string[] = [];

for (const taste of tastes) {
  console.log(`\n== taste: ${taste.name} — ${taste.describe}\nseed ${o.seed}, ${o.picks} picks, ${(o.flip * 100).toFixed(0)} % flipped, from ${name}; pairs: the most ${prefer} of ${CANDIDATES} samples at temperature ${temperature}`);
  const tasteBefore = report('before (sft)', taste, before);
  const rng = new Rng(o.seed);
  const file = picksDir && join(picksDir, `${taste.id.replace(':', '-')}-seed${o.seed}-${o.picks}-${o.heldoutPairs}-${prefer}-t${temperature}.json`);
  const ratePicks = async (): Promise<{ rated: Rated; fresh: Rated }> => {
    const rated = await rate(taste, start.model, tk, prompts.slice(0, 1000), o.picks, rng, o.flip);
    // Fresh pairs only for a taste that could be rated: a search through another 1000 prompts would find as few.
    const fresh = rated.picks.length < o.picks ? { picks: [], shown: 0 } : await rate(taste, start.model, tk, prompts.slice(1000), o.heldoutPairs, rng, 0);
    return { rated, fresh };
  };
  const { rated, fresh } = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { rated: Rated; fresh: Rated }) : await ratePicks();
  if (file) writeFileSync(file, JSON.stringify({ rated, fresh }));
  const exportTo = str(v, 'export-picks');
  if (exportTo) writeFileSync(exportTo.replace('TASTE', taste.id.replace(':', '-')), rated.picks.map((p) => JSON.stringify(p)).join('\n') + '\n');
  const known = { taste: taste.id, picks: rated.picks.length, tasteBefore: r3(tasteBefore), heldoutBefore: r3(before.strict), backend: info.name, seed: o.seed, shown: rated.shown, suite: suiteName, meterSeed };
  if (rated.picks.length < o.picks || fresh.picks.length < o.heldoutPairs) {
    // A taste the model's samples almost never differ on cannot be taught by picking: say so, go on to the next.
    console.log(`not rateable: ${rated.picks.length} of ${o.picks} picks and ${fresh.picks.length} of ${o.heldoutPairs} fresh pairs from 1000 prompts (the samples seldom differ on this taste)`);
    lines.push(JSON.stringify({ ...known, rmHeldoutAccuracy: null, tasteAfterRl: null, tasteAfterDpo: null, heldoutAfterRl: null, heldoutAfterDpo: null, seconds: null, rateable: false }));
    continue;
  }
  const flipped = rated.picks.filter((p) => taste.score(p.chosen) < taste.score(p.rejected)).length;
  console.log(`rated ${rated.shown} pairs shown: ${rated.picks.length} picks (${flipped} against the taste), ${fresh.picks.length} fresh pairs to test the reward model`);
  const trainSeqs = rated.picks.map((p) => renderPreference(tk, p));
  const testSeqs = fresh.picks.map((p) => renderPreference(tk, p));

  const tuning = performance.now();
  const { reward, rmAcc, dispose } = readout === 'words' ? wordRm(rated.picks, fresh.picks) : await trunkRm(trainSeqs, testSeqs, readout);
  const rmSeconds = (performance.now() - tuning) / 1000;
  console.log(`reward model (${readout === 'words' ? 'one weight per word' : `${readout}, ${o.rmIters} steps`}) on ${trainSeqs.length} picks: held-out accuracy ${(rmAcc * 100).toFixed(1)} % on ${testSeqs.length} fresh pairs (${rmSeconds.toFixed(0)} s)`);
  if (v['rm-only']) {
    dispose();
    continue;
  }

  const rlStart = performance.now();
  let rlModel: GPT | null = null;
  if (routes.has('rl')) {
    rlModel = (await load()).model;
    const rlPrompts = examples.slice(0, 1000).map((e) => chatPrompt(tk, e.prompt, withChecks(reward(e.prompt), checksReward(e))));
    const settings = { ...RL_DEFAULTS, k: o.rlK, iters: o.rlIters, lr: o.rlLr, beta: o.rlBeta, seed: o.seed, keep, temperature: o.rlTemperature, promptsPerStep: o.rlPromptsPerStep };
    const rlRun = await runRl(rlModel, tk, rlPrompts, { ...settings, whiten: true }, {
      onStep: (s) => console.log(`rl step ${s.step}/${o.rlIters}  reward ${s.reward.toFixed(3)}  kl ${s.kl.toFixed(3)}`),
    });
    if (rlRun.reason !== 'done') throw new Error(`RL stopped: ${rlRun.reason} ${rlRun.message ?? ''}`);
  }
  dispose();
  const rlSeconds = (performance.now() - rlStart) / 1000;

  const dpoStart = performance.now();
  let dpoModel: GPT | null = null;
  if (routes.has('dpo')) {
    dpoModel = (await load()).model;
    // All picks train here (the reward model's fresh pairs measure), so trainDpo, not runDpo's held-out split.
    const d = await trainDpo(dpoModel, trainSeqs, { iters: o.dpoIters, lr: o.dpoLr, beta: o.dpoBeta, sftWeight: dpoSftWeight, keep, batchSize: 8, seed: o.seed, pad });
    d.optimizer.dispose();
    if (d.reason !== 'done') throw new Error(`DPO stopped: ${d.reason} ${d.message ?? ''}`);
  }
  const dpoSeconds = (performance.now() - dpoStart) / 1000;
  const seconds = (performance.now() - tuning) / 1000;
  console.log(`after the picks: reward model ${rmSeconds.toFixed(0)} s, RL ${rlSeconds.toFixed(0)} s, DPO ${dpoSeconds.toFixed(0)} s`);

  const afterRl = rlModel && (await measure(rlModel, tk));
  const afterDpo = dpoModel && (await measure(dpoModel, tk));
  const tasteAfterRl = afterRl && report('after RL by the reward model', taste, afterRl);
  const tasteAfterDpo = afterDpo && report(`after DPO on the picks${dpoSftWeight ? ` (plus ${dpoSftWeight} x the chosen answers' NLL)` : ''}`, taste, afterDpo);
  [rlModel, dpoModel].forEach((m) => m?.dispose());
  lines.push(JSON.stringify({
    ...known, rmHeldoutAccuracy: r3(rmAcc),
    tasteAfterRl: tasteAfterRl === null ? null : r3(tasteAfterRl), tasteAfterDpo: tasteAfterDpo === null ? null : r3(tasteAfterDpo),
    heldoutAfterRl: afterRl && r3(afterRl.strict), heldoutAfterDpo: afterDpo && r3(afterDpo.strict),
    seconds: Math.round(seconds), pairsBy: prefer, temperature, rlTemperature: o.rlTemperature, rlPrompts: o.rlPromptsPerStep, rlK: o.rlK, dpoSftWeight, keep, flipped, rmSeconds: Math.round(rmSeconds), rlSeconds: Math.round(rlSeconds), dpoSeconds: Math.round(dpoSeconds),
  }));
}
start.model.dispose();
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all on ${info.name}, ${machineDescription()}`);
for (const l of lines) console.log(l);
