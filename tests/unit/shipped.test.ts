/**
 * The shipped models: listed in the manifest with how they were made, small,
 * loadable; the base model continues the headline prompt as a document (no
 * haiku), the SFT model answers it with a 5-7-5 haiku about autumn, and on the held-out haiku prompts
 * (greedy, so the result is fixed) the SFT model meets the bars: 90 % of the held-out
 * haiku prompts (39 / 40) and 70 % on all instruction types (73.3 %). The `pref` model (RL
 * by a reward model fitted to 30 picks of a learner who likes colour words) names a colour
 * in more of the taste meter's answers and keeps the held-out checks.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { copyingScore } from '../../src/eval/copying.ts';
import { answer, evaluateModel } from '../../src/eval/run.ts';
import { suiteByName } from '../../src/eval/suite.ts';
import { meterPrompts, readMeter } from '../../src/eval/steer.ts';
import { colourTaste } from '../../src/eval/tastes.ts';
import { verifyHaiku } from '../../src/tasks/haiku.ts';
import { useBackend } from './helpers.ts';

const dir = join(process.cwd(), 'models');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { models: Record<string, unknown>[] };
const entry = (name: string) => manifest.models.find((m) => m.name === name)!;
const load = (name: string) => loadCheckpoint(new Uint8Array(readFileSync(join(dir, entry(name).file as string))));

const NAMES = manifest.models.map((m) => m.name as string);

test('the manifest lists base, sft, sft-early and pref with how they were made; each file is under 10 MB', () => {
  expect(NAMES).toEqual(expect.arrayContaining(['base', 'sft', 'sft-early', 'pref']));
  for (const name of NAMES) {
    const e = entry(name);
    expect(e, name).toBeDefined();
    expect(Object.keys(e).sort()).toEqual(['command', 'commit', 'file', 'machine', 'name', 'preset', 'seconds', 'seed', 'stage', 'steps'].sort());
    expect(e.command).toMatch(/^npm run heed -- /);
    expect(e.commit).toMatch(/^[0-9a-f]{7,}$/); // the code that made it, committed
    expect(statSync(join(dir, e.file as string)).size).toBeLessThan(10 * 2 ** 20);
  }
});

test('every shipped model loads; its header agrees with the manifest', async () => {
  await useBackend('wasm');
  for (const name of NAMES) {
    const { model, header } = await load(name);
    expect(header.stage).toBe(entry(name).stage);
    expect(header.preset).toBe(entry(name).preset);
    model.dispose();
  }
});

test('asked "Write a haiku about autumn.", the base model continues the document and the SFT model answers', async () => {
  await useBackend('wasm');
  const prompt = 'Write a haiku about autumn.';
  const base = await load('base');
  const continued = await answer(base.model, base.tokenizer, prompt, { format: 'document', maxNewTokens: 90 });
  expect(verifyHaiku(continued, { topic: 'autumn' }).pass).toBe(false);
  expect(continued.split('\n').filter((l) => l.trim()).length).not.toBe(3);
  const sft = await load('sft');
  const answered = await answer(sft.model, sft.tokenizer, prompt, { maxNewTokens: 90 });
  expect(answered.split('\n').filter((l) => l.trim())).toHaveLength(3);
  expect(verifyHaiku(answered, { topic: 'autumn' }).pass).toBe(true); // "autumn once again / ..."
  base.model.dispose();
  sft.model.dispose();
});

test('the base already copies from its context (its pages reuse made-up words), and instruction tuning keeps and sharpens it', async () => {
  await useBackend('wasm');
  const ratio = async (name: string) => {
    const { model, tokenizer } = await load(name);
    const score = await copyingScore(model, tokenizer);
    model.dispose();
    return score!.ratio;
  };
  // A ratio of 1 is no copying. Measured 2026-12-03: base 0.44, sft-early 0.37, sft 0.23 (src/eval/copying.ts); the base shipped
  // before it (e3a9aac) read 1.00: it had never seen a word introduced and then reused, so SFT had to teach copying.
  const base = await ratio('base');
  expect(base).toBeLessThan(0.6);
  expect(await ratio('sft')).toBeLessThan(base);
});

test('on the held-out haiku prompts (greedy) the SFT model beats the base, which mostly continues the document', async () => {
  await useBackend('wasm');
  const suite = suiteByName('haiku-heldout');
  const base = await load('base');
  // As a document the base may write an answer first and then carry on with the next item of its worksheet: it needs
  // the room `heed eval` gives (evaluateModel's default length) to show that it does not stop.
  const b = await evaluateModel(base.model, base.tokenizer, suite, { format: 'document' });
  const sft = await load('sft');
  const s = await evaluateModel(sft.model, sft.tokenizer, suite, { maxNewTokens: 90 });
  expect(b.summary.promptStrict).toBeLessThanOrEqual(0.1);
  // The base mostly continues: drifts, adds instructions or restates the prompt.
  expect(b.labels.drifted + b.labels.more_instructions + b.labels.restated_prompt).toBeGreaterThanOrEqual(suite.length * 0.6);
  expect(s.summary.promptStrict).toBeGreaterThanOrEqual(0.9); // the bar; measured: 0 / 40 -> 39 / 40
  base.model.dispose();
  sft.model.dispose();
}, 300_000);

test('sft meets the 70 % bar on all held-out types; pref, steered by RL toward colour words, names a colour more often and keeps the checks', async () => {
  await useBackend('wasm');
  const suite = suiteByName('heldout');
  const [sft, pref] = await Promise.all(['sft', 'pref'].map(async (name) => {
    const m = await load(name);
    const strict = (await evaluateModel(m.model, m.tokenizer, suite, { maxNewTokens: 160 })).summary.promptStrict;
    // The taste meter as the page and bench:steer read it (pref's picks, models/pref-picks.jsonl, favour a colour word).
    const meter = (await readMeter(m.model, m.tokenizer, colourTaste, meterPrompts())).share;
    m.model.dispose();
    return { strict, meter };
  }));
  expect(sft.strict).toBeGreaterThanOrEqual(0.7); // the bar; measured 73.3 %
  expect(pref.meter).toBeGreaterThanOrEqual(sft.meter + 0.15); // measured: 35 % -> 55 % of 40 prompts
  expect(pref.strict).toBeGreaterThanOrEqual(sft.strict - 0.03); // measured: 73.3 % -> 72.5 % (1 of 120 prompts)
}, 300_000);
