/**
 * npm run bench:sft — time to compliance. From the shipped `base`, run SFT on
 * the built-in pairs and check held-out haiku compliance (greedy) every few
 * steps; report the training wall time (evaluation excluded) and steps until
 * it first reaches the target, then confirm on the full held-out haiku suite.
 * Ends with {"secondsToTarget", "stepsToTarget", "backend", "haikuStrict"}.
 * The recipe is stage 1 of the shipped SFT model's (`STAGE1`: 60,000 built-in pairs of its mix, batch 16,
 * lr 1e-3 cosine over --max-steps, 100 warm-up steps). Flags: --model NAME|FILE (default base) --every N (250)
 * --max-steps N (3000) --target X (0.9) --probe N (20 prompts) --batch N (16) --lr X (1e-3) --backend NAME (wasm)
 */
import { makeSftPairs } from '../src/datasets/pairs.ts';
import { loadCheckpoint } from '../src/engine/checkpoint.ts';
import { runSft, sftData } from '../src/stages/sft.ts';
import { evaluateModel } from '../src/eval/run.ts';
import { suiteByName } from '../src/eval/suite.ts';
import { num, parse, str } from './lib/args.ts';
import { readModelBytes } from './lib/models.ts';
import { machineDescription } from './lib/node.ts';
import { startBackend } from './lib/session.ts';

const v = parse(process.argv.slice(2), {
  model: { type: 'string' }, every: { type: 'string' }, 'max-steps': { type: 'string' }, target: { type: 'string' },
  probe: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, backend: { type: 'string' },
});
const every = num(v, 'every', 250, 1, 10000, true);
const maxSteps = num(v, 'max-steps', 3000, 1, 1e6, true);
const target = num(v, 'target', 0.9, 0, 1);
const lr = num(v, 'lr', 1e-3, 1e-6, 1);
const info = await startBackend(str(v, 'backend', 'wasm')!, false);
const { model, tokenizer } = await loadCheckpoint(readModelBytes(str(v, 'model', 'base')!).bytes);
/** The shipped sft's stage 1 (models/manifest.json): its pair mix and warm-up. */
const STAGE1 = { pairs: 60000, warmup: 100, mix: { subjectShare: 0.7, haikuShare: 0.6, syllableBalance: 0.3, peopleShare: 0.3, topicHaikuShare: 0, variedLines: true } };
const stage = sftData(model, tokenizer, makeSftPairs(1, STAGE1.pairs, STAGE1.mix), { batchSize: num(v, 'batch', 16, 1, 256, true), seed: 1 });
const suite = suiteByName('haiku-heldout');
const probe = suite.slice(0, num(v, 'probe', 20, 1, suite.length, true));
const haikuStrict = async (s: typeof suite) => (await evaluateModel(model, tokenizer, s, { maxNewTokens: 90 })).summary.promptStrict;

let trainMs = 0; // the run's training time, evaluation excluded (runSft counts it so)
let reached = null as { step: number; seconds: number; probe: number } | null; // (set in a callback)
await runSft(model, stage, { iters: maxSteps, lr, warmup: STAGE1.warmup, every }, {
  onProgress: (p) => {
    trainMs = p.elapsedMs;
    if (p.step % every === 0) console.log(`step ${p.step}  loss ${p.loss.toFixed(4)}  ${p.msPerStep.toFixed(0)} ms/step`);
  },
  between: async (r) => {
    const s = await haikuStrict(probe);
    console.log(`eval @${r.step}: held-out haiku strict ${(s * 100).toFixed(1)}% on ${probe.length} prompts (train time ${(trainMs / 1000).toFixed(1)} s)`);
    if (s >= target) reached = { step: r.step, seconds: trainMs / 1000, probe: s };
    return reached !== null;
  },
});
const full = await haikuStrict(suite);
console.log(`full held-out haiku suite (${suite.length} prompts): ${(full * 100).toFixed(1)}%`);
console.log(JSON.stringify({
  secondsToTarget: reached ? Number(reached.seconds.toFixed(1)) : null,
  stepsToTarget: reached?.step ?? null,
  backend: info.name, haikuStrict: full, target, machine: machineDescription(),
}));
