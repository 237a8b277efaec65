/**
 * heed rl: reinforcement learning on sampled answers, rewarded by the
 * verifiers (RL from verifiable rewards) or by a reward model trained first on
 * preference pairs; KL penalty to a frozen copy of the starting model.
 */
import { writeFileSync } from 'node:fs';
import { makeSftExamples } from '../../src/datasets/pairs.ts';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import type { RewardModel } from '../../src/engine/rewardModel.ts';
import { type PromptReward, rlPrompts, runRl, trunkReward, wordsReward } from '../../src/stages/rl.ts';
import { REWARD_MODEL_DEFAULTS, RL_PARAMS, WORD_REWARD_MODEL } from '../../src/stages/settings.ts';
import { strongestWords, trainWordRewardModel } from '../../src/engine/wordRewardModel.ts';
import { ratingExamples } from '../../src/eval/steer.ts';
import { evaluateModel } from '../../src/eval/run.ts';
import { suiteByName } from '../../src/eval/suite.ts';
import { UsageError, emit, flagHelp, flagSpec, num, parse, readFlags, str } from '../lib/args.ts';
import { loadModel, readModelBytes, shipModel, shippedPath } from '../lib/models.ts';
import { machineDescription } from '../lib/node.ts';
import { AIM_FLAGS, readAim, readPreferences } from '../lib/prefs.ts';
import { renderPreference } from '../../src/datasets/pairs.ts';
import { startBackend } from '../lib/session.ts';
import { trainRewardModelCli } from './rm.ts';

const R = RL_PARAMS;

export const rlHelp = `heed rl --model NAME|FILE --reward verify|rm|words --iters N [options]
  verify: reward = share of the prompt's instructions the answer follows (strict checks)
  rm:     reward = a reward model trained first on --pairs builtin|FILE for --rm-iters steps (its scores whitened)
  words:  reward = the page's reward model, one weight per word, fitted to --pairs FILE (a learner's picks);
          the prompts are the page's (the SFT mix: haiku, descriptions, lists, one-word answers)
${flagHelp(R)}
  --count N (training prompts, default 500)
  --types ID,ID --type-share X (that share of prompts hold one of these instruction types; default 1)
  --eval-every N (held-out suite, default 0 = only at the end) --suite-size N (default 120; 0: no held-out check) --backend NAME --out FILE --ship NAME --json`;

/** Returns what the benchmark reads; prints the rest. */
export async function rlCommand(argv: string[]): Promise<{ seconds: number }> {
  const v = parse(argv, {
    model: { type: 'string' }, reward: { type: 'string' }, count: { type: 'string' }, ...flagSpec(R),
    'eval-every': { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' }, ship: { type: 'string' },
    json: { type: 'boolean' }, ...AIM_FLAGS, pairs: { type: 'string' }, 'rm-iters': { type: 'string' }, 'suite-size': { type: 'string' },
  });
  const json = Boolean(v.json);
  const name = str(v, 'model');
  const reward = str(v, 'reward', 'verify');
  if (!name) throw new UsageError('rl needs --model NAME|FILE');
  if (reward !== 'verify' && reward !== 'rm' && reward !== 'words') throw new UsageError('--reward must be verify, rm or words');
  // Every flag is read before any work: a typo in --k must not cost a reward model's training.
  const o = readFlags(v, R);
  const { iters, seed } = o;
  const evalEvery = num(v, 'eval-every', 0, 0, 1e6, true);
  const suiteSize = num(v, 'suite-size', 120, 0, 120, true);
  const rmIters = num(v, 'rm-iters', 200, 1, 1e6, true);
  const count = num(v, 'count', 500, 1, 1e5, true);
  const aim = readAim(v);
  const pairSource = str(v, 'pairs', 'builtin');
  if (reward === 'verify' && v.pairs !== undefined) throw new UsageError('--pairs is for --reward rm or words');
  const preferences = reward !== 'verify' ? readPreferences(pairSource, seed, 2000, aim) : [];
  const file = readModelBytes(name);
  await startBackend(str(v, 'backend', 'auto')!, json);
  const startedAt = performance.now();
  const { model, tokenizer, header } = await loadModel(file);
  const examples = reward === 'words' ? ratingExamples(count, seed + 7) : makeSftExamples(seed + 7, count, { subjectShare: 0, types: aim.types, typeShare: aim.typeShare });
  let rm: RewardModel | null = null;
  let promptReward: PromptReward | null = null;
  if (reward === 'words') {
    const { model: words, accuracy } = trainWordRewardModel(preferences, WORD_REWARD_MODEL);
    const { liked } = strongestWords(words, 5);
    emit(json, { rmAccuracy: accuracy, liked }, `reward model (one weight per word): ${(accuracy * 100).toFixed(0)} % of ${preferences.length} pairs; rewards ${liked.map(([w, x]) => `${w} ${x.toFixed(2)}`).join(', ')}`);
    promptReward = wordsReward(words);
  }
  if (reward === 'rm') {
    const pairs = preferences.map((p) => renderPreference(tokenizer, p));
    const trained = await trainRewardModelCli(model.copy(), pairs, {
      iters: rmIters, lr: REWARD_MODEL_DEFAULTS.lr, batch: REWARD_MODEL_DEFAULTS.batchSize, seed, evalEvery: 50, pad: tokenizer.special('<|pad|>'), json,
    });
    trained.result.optimizer.dispose();
    rm = trained.rm;
    rm.trunk.trainableVariables.forEach((w) => (w.trainable = false));
    promptReward = trunkReward(rm, tokenizer);
  }
  const suite = suiteByName('heldout').slice(0, suiteSize);
  const check = async (step: number) => {
    const r = await evaluateModel(model, tokenizer, suite, { maxNewTokens: 160 });
    emit(json, { step, promptStrict: r.summary.promptStrict, instructionStrict: r.summary.instructionStrict }, `eval @${step}: held-out prompt strict ${(r.summary.promptStrict * 100).toFixed(1)}%`);
    return r.summary;
  };
  const result = await runRl(model, tokenizer, rlPrompts(examples, promptReward, tokenizer), { ...o, whiten: promptReward !== null }, {
    onStep: async (s) => {
      emit(json, { step: s.step, reward: s.reward, kl: s.kl, loss: s.loss }, `step ${s.step}/${iters}  reward ${s.reward.toFixed(3)}  kl ${s.kl.toFixed(3)}`);
      if (suite.length && evalEvery && s.step % evalEvery === 0 && s.step < iters) await check(s.step);
    },
  });
  if (result.reason === 'nonfinite') throw new Error(result.message);
  const promptStrict = suite.length ? (await check(iters)).promptStrict : null;
  const ship = str(v, 'ship');
  const out = str(v, 'out') ?? (ship ? shippedPath(ship) : undefined);
  if (out) writeFileSync(out, await saveCheckpoint(model, tokenizer, { stage: 'rl', step: header.step + iters, seed, preset: header.preset, metrics: promptStrict === null ? {} : { promptStrict } }));
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  if (ship) shipModel({ name: ship, stage: 'rl', preset: header.preset ?? 'custom', steps: iters, seed, command: `npm run heed -- rl ${argv.join(' ')}`, seconds, machine: machineDescription() });
  emit(json, { done: true, seconds, step: iters, promptStrict, out: out ?? null }, `done: ${iters} RL steps${out ? `, saved ${out}` : ''}`);
  rm?.dispose();
  model.dispose();
  return { seconds };
}
