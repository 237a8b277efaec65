/**
 * npm run bench:shift — the lesson, timed. From the shipped `base` (or
 * --model), SFT with the page's defaults (src/datasets/lesson.ts) and the probes
 * every 25 steps, as the page runs them. Reports when the autumn answer first
 * takes a haiku's form (three lines that answer, not more instructions:
 * "stepsToAnswer") and when it first passes the haiku check ("stepsToAutumn"),
 * with training seconds (probe time excluded, and printed apart), the
 * held-out haiku suite at that step and at the end. Ends with one JSON line.
 * Flags: --model NAME|FILE (base) --steps N --lr X --batch N --every N --seed N (the recipe's) --backend NAME (wasm)
 * --valid N (also score the first N haiku-valid prompts at every probe round: the curve recipes are chosen on;
 * the JSON line then adds haikuValidAtAutumn and haikuValidEnd, the bar's figures on the validation suite)
 * --out FILE (save the tuned model).
 */
import { writeFileSync } from 'node:fs';
import { LESSON_SFT } from '../src/datasets/lesson.ts';
import { makeSftPairs } from '../src/datasets/pairs.ts';
import { loadCheckpoint, saveCheckpoint } from '../src/engine/checkpoint.ts';
import { runSft, sftData } from '../src/stages/sft.ts';
import { HEADLINE, probeRound, probeSet } from '../src/eval/probes.ts';
import { evaluateModel } from '../src/eval/run.ts';
import { suiteByName } from '../src/eval/suite.ts';
import { hasPoemForm } from '../src/eval/label.ts';
import { num, parse, str } from './lib/args.ts';
import { readModelBytes } from './lib/models.ts';
import { machineDescription } from './lib/node.ts';
import { startBackend } from './lib/session.ts';

const v = parse(process.argv.slice(2), {
  model: { type: 'string' }, steps: { type: 'string' }, lr: { type: 'string' }, batch: { type: 'string' }, every: { type: 'string' },
  backend: { type: 'string' }, valid: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' },
});
const r = LESSON_SFT;
const steps = num(v, 'steps', r.steps, 1, 1e6, true);
const every = num(v, 'every', r.probeEvery, 1, 1e6, true);
const lr = num(v, 'lr', r.lr, 1e-6, 1);
const batchSize = num(v, 'batch', r.batchSize, 1, 512, true);
const validSize = num(v, 'valid', 0, 0, 210, true);
const seed = num(v, 'seed', r.seed, 0, 2 ** 31, true);
const info = await startBackend(str(v, 'backend', 'wasm')!, false);
const { model, tokenizer, header } = await loadCheckpoint(readModelBytes(str(v, 'model', 'base')!).bytes);
const data = sftData(model, tokenizer, makeSftPairs(seed, r.pairs, r.mix), { batchSize, seed });
const heldout = suiteByName('haiku-heldout');
const valid = suiteByName('haiku-valid').slice(0, validSize);
const probes = probeSet();
const strict = async (suite: typeof heldout) => (await evaluateModel(model, tokenizer, suite, { maxNewTokens: 90 })).summary.promptStrict;

let trainMs = 0; // the run's training time, probe rounds excluded (runSft counts it)
let probeMs = 0;
const at = { answer: null as null | { step: number; seconds: number }, autumn: null as null | { step: number; seconds: number; heldout: number; valid: number | null } };
let lastValid: number | null = null; // haiku-valid at the last probe round (with --valid)
/** A probe round as the page runs it (every probe prompt), and the headline's verdict. */
async function round(step: number) {
  const t0 = performance.now();
  const headline = (await probeRound(model, tokenizer, probes))[0];
  const seconds = Number((trainMs / 1000).toFixed(1));
  if (!at.answer && hasPoemForm(HEADLINE.prompt, headline.text)) at.answer = { step, seconds };
  let note = '';
  const validNow = valid.length ? await strict(valid) : null;
  if (!at.autumn && headline.pass) {
    at.autumn = { step, seconds, heldout: await strict(heldout), valid: validNow };
    note = `  ← autumn passes; held-out haiku ${(at.autumn.heldout * 100).toFixed(0)} %`;
  }
  lastValid = validNow;
  const validNote = validNow === null ? '' : `  valid ${(validNow * 100).toFixed(0)} %`;
  probeMs += performance.now() - t0;
  console.log(`@${step} (${seconds} s training)  ${headline.pass ? '✓' : '✗'} ${headline.reasons.join('; ')}  ${JSON.stringify(headline.text)}${validNote}${note}`);
}

await round(0);
const result = await runSft(model, data, { iters: steps, lr, warmup: r.warmup, every }, {
  onProgress: (p) => (trainMs = p.elapsedMs),
  between: async (res) => void (await round(res.step)),
});
result.optimizer.dispose();
const end = await strict(heldout);
const out = str(v, 'out');
if (out) writeFileSync(out, await saveCheckpoint(model, tokenizer, { stage: 'sft', step: header.step + result.step, seed, preset: header.preset, metrics: { sftLoss: result.lastLoss } }));
console.log(`probe rounds took ${(probeMs / 1000).toFixed(0)} s in all (not counted above); held-out haiku at the end ${(end * 100).toFixed(0)} %`);
console.log(JSON.stringify({
  backend: info.name,
  stepsToAnswer: at.answer?.step ?? null, secondsToAnswer: at.answer?.seconds ?? null,
  stepsToAutumn: at.autumn?.step ?? null, secondsToAutumn: at.autumn?.seconds ?? null,
  haikuHeldoutAtAutumn: at.autumn?.heldout ?? null, haikuHeldoutEnd: end,
  ...(valid.length ? { haikuValidAtAutumn: at.autumn?.valid ?? null, haikuValidEnd: lastValid } : {}),
  steps: result.step, msPerStep: Math.round(trainMs / Math.max(1, result.step)), machine: machineDescription(),
}));
