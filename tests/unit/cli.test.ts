/** The CLI end to end in Node: JSON lines, a checkpoint that generates, clear errors for bad input. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCheckpoint } from '../../src/engine/checkpoint.ts';
import { readManifest, readModelBytes } from '../../scripts/lib/models.ts';

const dir = mkdtempSync(join(tmpdir(), 'heed-cli-'));
const heed = (...args: string[]) => {
  const r = spawnSync('node', ['scripts/run.mjs', 'scripts/heed.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, lines: r.stdout.trim().split('\n').filter(Boolean) };
};

test('pretrain --json prints progress, eval and done lines and writes a checkpoint that generates', () => {
  const data = join(dir, 'text.txt');
  writeFileSync(data, 'the moon rises over the lake. the wind moves the leaves. '.repeat(60));
  const out = join(dir, 'm.heed');
  const r = heed('pretrain', '--data', data, '--preset', 'tiny', '--iters', '30', '--eval-every', '15', '--backend', 'wasm', '--out', out, '--json');
  expect(r.code, r.err).toBe(0);
  const objs = r.lines.map((l) => JSON.parse(l));
  const progress = objs.filter((o) => 'tokensPerSec' in o);
  expect(progress).toHaveLength(30);
  expect(Object.keys(progress[0])).toEqual(['step', 'loss', 'lr', 'tokensPerSec']);
  expect(progress[29].loss).toBeLessThan(progress[0].loss);
  expect(objs.filter((o) => 'valLoss' in o && !o.done).map((o) => o.step)).toEqual([15, 30]);
  const done = objs.at(-1);
  expect(done).toMatchObject({ done: true, step: 30, out });
  expect(done.valLoss).toBeGreaterThan(0);

  const g = heed('generate', '--model', out, '--prompt', 'the moon', '--max-tokens', '12', '--temperature', '0', '--json');
  expect(g.code, g.err).toBe(0);
  const { text } = JSON.parse(g.lines.at(-1)!);
  expect(typeof text).toBe('string');
  expect(text.length).toBeGreaterThan(0);
  expect(text.length).toBeLessThanOrEqual(12);

  // --from trains that checkpoint further: its steps count on, its tokenizer and preset stay (another preset is refused).
  const further = join(dir, 'm2.heed');
  const f = heed('pretrain', '--data', data, '--from', out, '--iters', '4', '--eval-every', '4', '--backend', 'wasm', '--out', further, '--json');
  expect(f.code, f.err).toBe(0);
  expect(JSON.parse(f.lines.at(-1)!)).toMatchObject({ done: true, step: 34, out: further });
  const phase = f.lines.map((l) => JSON.parse(l)).filter((o) => 'tokensPerSec' in o);
  expect(phase.map((p) => p.step)).toEqual([1, 2, 3, 4]); // a schedule of its own: from the peak rate, not the end of the first run's cosine
  expect(phase[0].lr).toBeCloseTo(Math.max(...progress.map((p) => p.lr)), 8);
  expect(heed('pretrain', '--data', data, '--from', out, '--preset', 'baby', '--iters', '1').err).toMatch(/--preset: .* is a "tiny" model/);

  const e = heed('eval', '--model', out, '--suite', 'haiku-heldout', '--limit', '2', '--max-tokens', '8', '--json');
  expect(e.code, e.err).toBe(0);
  const evalLines = e.lines.map((l) => JSON.parse(l));
  expect(evalLines).toHaveLength(3);
  expect(evalLines[0]).toHaveProperty('label');
  expect(evalLines[2]).toMatchObject({ suite: 'haiku-heldout', prompts: 2, perType: { 'heed:haiku': { count: 2 } } });
  expect(Object.values(evalLines[2].labels as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(2);
});

test('bad arguments get one clear message and exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [['pretrain'], /needs --data/],
    [['pretrain', '--data', '/no/such/file'], /no such file/],
    [['pretrain', '--data', 'package.json', '--lr', 'fast'], /--lr must be a number/],
    [['pretrain', '--data', 'package.json', '--preset', 'giant'], /--preset must be one of/],
    [['generate', '--model', 'nope.heed', '--prompt', 'x'], /no model "nope.heed"/],
    [['bench', '--wat'], /Unknown option/],
    [['dpo', '--model', 'base', '--pairs', 'builtin', '--types', 'heed:haiku,heed:sonnet'], /--types: unknown instruction type "heed:sonnet"/],
    [['rl', '--model', 'base', '--type-share', '0.5'], /--type-share needs --types/],
    [['rm', '--model', 'base', '--pairs', 'builtin', '--types', 'heed:haiku', '--type-share', '2'], /--type-share must be a number in \[0, 1\]/],
    [['export', '--model', 'base'], /export needs --out DIR/],
    [['import', '--from', '/no/such/dir', '--out', 'x.heed'], /--from \/no\/such\/dir: no such file or folder/],
    [['frobnicate'], /unknown command/],
  ];
  for (const [args, message] of cases) {
    const r = heed(...args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.err).toMatch(message);
  }
});

test('usage errors are one line with exit code 2, flags checked before any work (more cases in args.test.ts)', () => {
  const cases: [string[], RegExp][] = [
    [['sft', '--model', 'base', '--pairs', 'builtin', '--backend', 'nope'], /--backend must be one of auto, webgpu, webgl, wasm, cpu, got "nope"/],
    [['rl', '--model', 'base', '--reward', 'rm', '--k', '1'], /--k must be an integer in \[2, 64\]/],
    [['pretrain', '--data', 'builtin', '--lr', '1e999'], /--lr must be a number in .*, got "1e999" \(too large to represent\)/],
    [['toString'], /unknown command "toString"/],
  ];
  for (const [args, message] of cases) {
    const r = heed(...args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
  }
});

test('sft refuses pairs whose answers all start past the block, naming why', () => {
  const pairs = join(dir, 'long-prompts.jsonl');
  writeFileSync(pairs, JSON.stringify({ prompt: 'x'.repeat(300), response: 'an answer' }) + '\n');
  const r = heed('sft', '--model', 'base', '--pairs', pairs, '--iters', '1', '--backend', 'cpu');
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/none of the 1 SFT examples has an answer within the model's block of 256 tokens/);
});

test('a corrupt checkpoint is a clear failure, not a crash', () => {
  const bad = join(dir, 'bad.heed');
  writeFileSync(bad, 'HEED garbage');
  const r = heed('generate', '--model', bad, '--prompt', 'x');
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/bad\.heed: checkpoint: /);
});

test('export writes the Hugging Face folder or zip; import brings back the same checkpoint; a foreign file is refused', () => {
  const out = join(dir, 'hf-base');
  const e = heed('export', '--model', 'base', '--out', out, '--json');
  expect(e.code, e.err).toBe(0);
  expect(JSON.parse(e.lines.at(-1)!).files).toEqual(expect.arrayContaining(['model.safetensors', 'config.json', 'vocab.json', 'tokenizer.json', 'tokenizer_config.json', 'README.md']));
  expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(readManifest().find((m) => m.name === 'base')!.command); // how it was made, as the manifest says
  const zip = join(dir, 'hf-base.zip');
  expect(heed('export', '--model', 'base', '--out', zip).code).toBe(0);
  for (const from of [out, zip]) {
    const back = join(dir, 'back.heed');
    const i = heed('import', '--from', from, '--out', back, '--json');
    expect(i.code, i.err).toBe(0);
    expect(JSON.parse(i.lines.at(-1)!)).toMatchObject({ done: true, stage: 'pretrain', step: readCheckpoint(readModelBytes('base').bytes).header.step });
    // The same header and the same weights, bit for bit.
    const [a, b] = [back, 'models/base.heed'].map((f) => readCheckpoint(new Uint8Array(readFileSync(f))));
    expect(a.header, from).toEqual(b.header);
    const bytes = (w: Float32Array) => Buffer.from(w.buffer, w.byteOffset, w.byteLength);
    for (const [name, w] of b.arrays) expect(bytes(a.arrays.get(name)!).equals(bytes(w)), `${from} ${name}`).toBe(true);
  }
  writeFileSync(join(out, 'config.json'), readFileSync(join(out, 'config.json'), 'utf8').replace('"gelu"', '"gelu_new"'));
  const bad = heed('import', '--from', out, '--out', join(dir, 'bad.heed'));
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/config\.json: activation_function is "gelu_new"/);
});

test('bench times steps and counts the kernels of one training step, evaluation excluded; tensors stay flat', () => {
  const r = heed('bench', '--backend', 'wasm', '--preset', 'tiny', '--iters', '1', '--warmup', '1', '--json');
  expect(r.code, r.err).toBe(0);
  const row = JSON.parse(r.lines.at(-1)!);
  expect(row).toMatchObject({ backend: 'wasm', preset: 'tiny', timedSteps: 1 });
  expect(row.numTensorsEnd).toBe(row.numTensorsStart);
  // One step of the 2-layer model: forward, backward and AdamW are over a hundred kernels (123 with Heed's
  // fused kernels on wasm); the validation pass the stage runs after a train() call would add thousands more.
  expect(row.kernelsPerStep).toBeGreaterThan(100);
  expect(row.kernelsPerStep).toBeLessThan(2000);
  expect(Object.values(row.topKernels as Record<string, number>).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(row.kernelsPerStep);
});

test('score reads IFEval files and prints per-prompt lines and the summary', () => {
  const input = join(dir, 'input.jsonl');
  const responses = join(dir, 'responses.jsonl');
  writeFileSync(input, [
    { key: 1, prompt: 'Say hi in lowercase.', instruction_id_list: ['change_case:english_lowercase'], kwargs: [{}] },
    { key: 2, prompt: 'No commas. Three bullets.', instruction_id_list: ['punctuation:no_comma', 'detectable_format:number_bullet_lists'], kwargs: [{}, { num_bullets: 3 }] },
  ].map((o) => JSON.stringify(o)).join('\n'));
  writeFileSync(responses, [
    { prompt: 'Say hi in lowercase.', response: 'hi there, friend' },
    { prompt: 'No commas. Three bullets.', response: '* a\n* b, c' },
  ].map((o) => JSON.stringify(o)).join('\n'));
  const r = heed('score', '--input', input, '--responses', responses, '--json');
  expect(r.code, r.err).toBe(0);
  const [p1, p2, summary] = r.lines.map((l) => JSON.parse(l));
  expect(p1).toEqual({ key: 1, strict: { follow_all: true, follow_instruction_list: [true] }, loose: { follow_all: true, follow_instruction_list: [true] } });
  expect(p2.strict).toEqual({ follow_all: false, follow_instruction_list: [false, false] });
  expect(summary).toMatchObject({ promptStrict: 0.5, instructionStrict: 1 / 3, perType: { 'punctuation:no_comma': { count: 1, strict: 0 } } });

  // --official: another checker's verdicts, compared prompt by prompt.
  const official = join(dir, 'official.jsonl');
  const level = (v: boolean[]) => ({ follow_all: v.every(Boolean), follow_instruction_list: v });
  writeFileSync(official, [
    { key: 1, strict: level([true]), loose: level([true]), instruction_id_list: ['change_case:english_lowercase'] },
    { key: 2, strict: level([false, true]), loose: level([true, false]), instruction_id_list: ['punctuation:no_comma', 'detectable_format:number_bullet_lists'] },
  ].map((o) => JSON.stringify(o)).join('\n'));
  const audited = heed('score', '--input', input, '--responses', responses, '--official', official, '--json');
  expect(audited.code, audited.err).toBe(0);
  expect(JSON.parse(audited.lines.at(-1)!).agreement).toMatchObject({ prompts: 2, strict: 1, loose: 2, instructions: 3, instructionStrict: 2,
    disagreements: [{ key: 2, mode: 'strict', instructions: [{ id: 'detectable_format:number_bullet_lists', heed: false, official: true }] }] });
  writeFileSync(official, '{"key": 1, "strict": {}}\n');
  const badOfficial = heed('score', '--input', input, '--responses', responses, '--official', official);
  expect(badOfficial.code).toBe(1);
  expect(badOfficial.err).toMatch(/official.jsonl line 1: "strict" and "loose"/);

  writeFileSync(responses, '{"prompt": "x", "response": "y"}\n{"prompt": "x", "response": 3}\n');
  const bad = heed('score', '--input', input, '--responses', responses);
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/responses.jsonl line 2: "(prompt|response)" must be a string/);
});

test('sft tunes a checkpoint on a pairs file, average means its checkpoints; a malformed line is refused with its number', () => {
  const data = join(dir, 'sft-text.txt');
  writeFileSync(data, 'write a haiku about the moon. the moon is pale. '.repeat(40));
  const base = join(dir, 'sft-base.heed');
  expect(heed('pretrain', '--data', data, '--preset', 'tiny', '--iters', '5', '--backend', 'wasm', '--out', base).code).toBe(0);
  const pairs = join(dir, 'pairs.jsonl');
  writeFileSync(pairs, '{"prompt": "hi", "response": "the moon"}\n{"prompt": "yo", "response": "is pale"}\n');
  const out = join(dir, 'sft.heed');
  const r = heed('sft', '--model', base, '--pairs', pairs, '--iters', '10', '--batch', '2', '--backend', 'wasm', '--out', out, '--save-every', '4', '--save-dir', dir, '--json');
  expect(r.code, r.err).toBe(0);
  expect(JSON.parse(r.lines.at(-1)!)).toMatchObject({ done: true, step: 10, out });
  expect(r.lines.map((l) => JSON.parse(l)).filter((l) => l.saved).map((l) => l.saved)).toEqual([join(dir, 'sft-step4.heed'), join(dir, 'sft-step8.heed')]);
  expect(heed('generate', '--model', join(dir, 'sft-step8.heed'), '--prompt', 'hi', '--chat', '--max-tokens', '3').code).toBe(0);
  // The run's checkpoints averaged; a checkpoint of another size is refused.
  const avg = heed('average', '--models', `${join(dir, 'sft-step4.heed')},${join(dir, 'sft-step8.heed')},${out}`, '--out', join(dir, 'avg.heed'), '--backend', 'wasm', '--json');
  expect(avg.code, avg.err).toBe(0);
  expect(JSON.parse(avg.lines.at(-1)!)).toMatchObject({ done: true, averaged: 3 });
  expect(heed('generate', '--model', join(dir, 'avg.heed'), '--prompt', 'hi', '--chat', '--max-tokens', '3').code).toBe(0);
  const other = join(dir, 'other.heed');
  expect(heed('pretrain', '--data', data, '--preset', 'baby', '--iters', '1', '--backend', 'wasm', '--out', other).code).toBe(0);
  const mixed = heed('average', '--models', `${out},${other}`, '--out', join(dir, 'mixed.heed'), '--backend', 'wasm');
  expect(mixed.code).toBe(1);
  expect(mixed.err).toMatch(/another configuration .* only checkpoints of one run can be averaged/);
  writeFileSync(pairs, '{"prompt": "hi", "response": "ok"}\n\n{"prompt": "yo", "response": ""}\n');
  const bad = heed('sft', '--model', base, '--pairs', pairs, '--iters', '1');
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/pairs.jsonl line 3: "response" must be a non-empty string/);
  // Built-in pairs with their mix flags; a share out of range is refused before any work.
  const mixed2 = heed('sft', '--model', base, '--pairs', 'builtin', '--count', '50', '--syllable-balance', '1', '--haiku-share', '0.9', '--iters', '1', '--backend', 'wasm', '--json');
  expect(mixed2.code, mixed2.err).toBe(0);
  const range = heed('sft', '--model', base, '--pairs', 'builtin', '--syllable-balance', '1.5', '--iters', '1');
  expect(range.code).toBe(2); // a usage error
  expect(range.err).toMatch(/syllable-balance/);
});

test('dpo, rm and rl run on a checkpoint and print their metrics; a malformed preference line is refused with its number', () => {
  const data = join(dir, 'pref-text.txt');
  writeFileSync(data, 'write a haiku about the moon. the moon is pale. '.repeat(40));
  const base = join(dir, 'pref-base.heed');
  expect(heed('pretrain', '--data', data, '--preset', 'tiny', '--iters', '5', '--backend', 'wasm', '--out', base).code).toBe(0);
  const prefs = join(dir, 'prefs.jsonl');
  writeFileSync(prefs, ['{"prompt": "hi", "chosen": "the moon", "rejected": "THE MOON"}', '{"prompt": "yo", "chosen": "is pale", "rejected": "IS PALE"}', '{"prompt": "ok", "chosen": "moon", "rejected": "MOON"}'].join('\n'));
  const out = join(dir, 'dpo.heed');
  const d = heed('dpo', '--model', base, '--pairs', prefs, '--iters', '4', '--batch', '2', '--eval-every', '2', '--backend', 'wasm', '--out', out, '--json');
  expect(d.code, d.err).toBe(0);
  const evalLine = d.lines.map((l) => JSON.parse(l)).find((l) => 'margin' in l);
  expect(Object.keys(evalLine).sort()).toEqual(['accuracy', 'dpoLoss', 'margin', 'rewardChosen', 'rewardRejected', 'step']);
  expect(JSON.parse(d.lines.at(-1)!)).toMatchObject({ done: true, step: 4, out });
  const r = heed('rm', '--model', base, '--pairs', prefs, '--iters', '3', '--batch', '2', '--backend', 'wasm', '--json');
  expect(r.code, r.err).toBe(0);
  expect(JSON.parse(r.lines.at(-1)!)).toMatchObject({ done: true, step: 3 });
  const rl = heed('rl', '--model', out, '--reward', 'verify', '--iters', '2', '--k', '2', '--prompts', '1', '--max-tokens', '8', '--count', '3', '--suite-size', '2', '--backend', 'wasm', '--json');
  expect(rl.code, rl.err).toBe(0);
  const steps = rl.lines.map((l) => JSON.parse(l)).filter((l) => 'kl' in l);
  expect(steps).toHaveLength(2);
  expect(steps[0].reward).toBeGreaterThanOrEqual(0);
  // RL by the page's reward model (one weight per word) fitted to the pairs: it reports what it rewards.
  const colour = join(dir, 'colour.jsonl');
  writeFileSync(colour, '{"prompt": "hi", "chosen": "the red moon", "rejected": "the moon"}\n{"prompt": "yo", "chosen": "a red cart", "rejected": "a cart"}\n');
  const words = heed('rl', '--model', out, '--reward', 'words', '--pairs', colour, '--iters', '1', '--k', '2', '--prompts', '1', '--max-tokens', '8', '--count', '3', '--suite-size', '0', '--backend', 'wasm', '--json');
  expect(words.code, words.err).toBe(0);
  const fitted = JSON.parse(words.lines.find((l) => l.includes('liked'))!);
  expect(fitted.rmAccuracy).toBe(1);
  expect(fitted.liked.map(([w]: [string, number]) => w)).toEqual(['red']); // the words both answers share cancel
  writeFileSync(prefs, '{"prompt": "hi", "chosen": "a", "rejected": "b"}\n{"prompt": "yo", "chosen": "same", "rejected": "same"}\n');
  const bad = heed('dpo', '--model', base, '--pairs', prefs, '--iters', '1');
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/prefs.jsonl line 2: "chosen" and "rejected" are the same text/);
}, 300_000);
