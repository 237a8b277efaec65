/**
 * npm run bench:sample — the K answers RL samples per prompt (and the page's
 * candidates to rate): one after another (`generate`, K forward passes a
 * token) against side by side (`generateMany`, one pass of K rows a token),
 * on the same prompts and seeds, in one process so the ratio holds on a
 * shared machine. The two orders alternate prompt by prompt. Also says
 * whether both gave the same texts (they should, up to float32 ties).
 * `--model NAME|FILE` (sft), `--backend` (wasm), `--prompts N` (8),
 * `--k K` (4), `--temperature T` (0.5, RL's on the page). Then greedy
 * answers to a suite (`--suite heldout`, its first `--suite-size 48`), as
 * `heed eval`, the taste meter and the probes answer: one prompt at a time
 * against ANSWER_BATCH prompts side by side (left-padded), in two halves
 * with the order swapped. Ends with one JSON
 * line {"backend","model","prompts","k","tokens","sequentialMs","sideBySideMs","speedup","sameTexts",
 * "greedyPrompts","greedyBatch","greedyAloneMs","greedyBatchedMs","greedySpeedup","greedySameTexts","machine"}.
 */
import { renderPrompt } from '../src/data/chat.ts';
import { generate, generateMany } from '../src/engine/generate.ts';
import { ratingPrompts } from '../src/eval/steer.ts';
import { ANSWER_BATCH, answers } from '../src/eval/run.ts';
import { suiteByName } from '../src/eval/suite.ts';
import { RL_STEER } from '../src/stages/settings.ts';
import { num, parse, str } from './lib/args.ts';
import { loadModel, readModelBytes } from './lib/models.ts';
import { machineDescription } from './lib/node.ts';
import { startBackend } from './lib/session.ts';

const v = parse(process.argv.slice(2), { suite: { type: 'string' }, 'suite-size': { type: 'string' }, model: { type: 'string' }, backend: { type: 'string' }, prompts: { type: 'string' }, k: { type: 'string' }, temperature: { type: 'string' } });
const name = str(v, 'model', 'sft')!;
const n = num(v, 'prompts', 8, 1, 200, true);
const k = num(v, 'k', RL_STEER.k, 1, 64, true);
const temperature = num(v, 'temperature', RL_STEER.temperature, 0.05, 5);
const info = await startBackend(str(v, 'backend', 'wasm')!, false);
const { model, tokenizer } = await loadModel(readModelBytes(name));
const stopTokens = [tokenizer.special('<|end|>'), tokenizer.special('<|doc|>')];
const opts = { temperature, maxNewTokens: 120, stopTokens };

// One warm-up of each shape, untimed.
await generate(model, renderPrompt(tokenizer, 'Write a haiku about rain.'), { ...opts, seed: 1, maxNewTokens: 8 });
await generateMany(model, renderPrompt(tokenizer, 'Write a haiku about rain.'), Array.from({ length: k }, (_, i) => i), { ...opts, maxNewTokens: 8 });

let [sequentialMs, sideBySideMs, tokens, same] = [0, 0, 0, 0];
for (const [p, prompt] of ratingPrompts(n, 5).entries()) {
  const ids = renderPrompt(tokenizer, prompt);
  const seeds = Array.from({ length: k }, (_, i) => 1000 * p + i);
  const oneByOne = async () => {
    const t = performance.now();
    const out = [];
    for (const seed of seeds) out.push(await generate(model, ids, { ...opts, seed }));
    sequentialMs += performance.now() - t;
    return out;
  };
  const together = async () => {
    const t = performance.now();
    const out = await generateMany(model, ids, seeds, opts);
    sideBySideMs += performance.now() - t;
    return out;
  };
  let a, b;
  if (p % 2) [a, b] = [await oneByOne(), await together()];
  else [b, a] = [await together(), await oneByOne()];
  tokens += a.reduce((s, r) => s + r.ids.length, 0);
  same += a.filter((r, i) => r.ids.join() === b[i].ids.join()).length;
}
const speedup = sequentialMs / sideBySideMs;
console.log(`${n} prompts x ${k} answers at temperature ${temperature} (${tokens} tokens): one after another ${(sequentialMs / 1000).toFixed(1)} s, side by side ${(sideBySideMs / 1000).toFixed(1)} s (${speedup.toFixed(2)}x); ${same} of ${n * k} texts the same`);

// Greedy answers to a suite (heed eval, the taste meter, the probes): one prompt at a time against ANSWER_BATCH side by side.
const suite = suiteByName(str(v, 'suite', 'heldout') as Parameters<typeof suiteByName>[0]).slice(0, num(v, 'suite-size', 48, 1, 1000, true));
const greedy = { temperature: 0, maxNewTokens: 160, stopTokens };
let [aloneMs, batchedMs] = [0, 0];
const alone: string[] = [];
const batched: string[] = [];
// Two halves, the order swapped in the second, so neither way always runs on a warmer or quieter machine.
for (const [h, half] of [suite.slice(0, suite.length >> 1), suite.slice(suite.length >> 1)].entries()) {
  const oneByOne = async () => {
    const t = performance.now();
    for (const ex of half) alone.push(tokenizer.decode((await generate(model, renderPrompt(tokenizer, ex.prompt), greedy)).ids, { skipSpecial: true }).trim());
    aloneMs += performance.now() - t;
  };
  const together = async () => {
    const t = performance.now();
    batched.push(...(await answers(model, tokenizer, half.map((ex) => ex.prompt), { maxNewTokens: 160 })));
    batchedMs += performance.now() - t;
  };
  if (h === 0) {
    await oneByOne();
    await together();
  } else {
    await together();
    await oneByOne();
  }
}
const sameGreedy = batched.filter((a, i) => a === alone[i]).length;
console.log(`greedy answers to ${suite.length} prompts: one at a time ${(aloneMs / 1000).toFixed(1)} s, ${ANSWER_BATCH} side by side ${(batchedMs / 1000).toFixed(1)} s (${(aloneMs / batchedMs).toFixed(2)}x); ${sameGreedy} of ${suite.length} texts the same`);
model.dispose();
console.log(JSON.stringify({
  backend: info.name, model: name, prompts: n, k, temperature, tokens, sequentialMs: Math.round(sequentialMs), sideBySideMs: Math.round(sideBySideMs),
  speedup: Math.round(speedup * 100) / 100, sameTexts: same / (n * k),
  greedyPrompts: suite.length, greedyBatch: ANSWER_BATCH, greedyAloneMs: Math.round(aloneMs), greedyBatchedMs: Math.round(batchedMs),
  greedySpeedup: Math.round((aloneMs / batchedMs) * 100) / 100, greedySameTexts: sameGreedy / suite.length, machine: machineDescription(),
}));
