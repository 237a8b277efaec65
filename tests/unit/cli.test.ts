/** The CLI end to end in Node: JSON lines, a checkpoint that generates, clear errors for bad input. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

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
});

test('bad arguments get one clear message and exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [['pretrain'], /needs --data/],
    [['pretrain', '--data', '/no/such/file'], /no such file/],
    [['pretrain', '--data', 'package.json', '--lr', 'fast'], /--lr must be a number/],
    [['pretrain', '--data', 'package.json', '--preset', 'giant'], /--preset must be one of/],
    [['generate', '--model', 'nope.heed', '--prompt', 'x'], /no model "nope.heed"/],
    [['bench', '--wat'], /Unknown option/],
    [['frobnicate'], /unknown command/],
  ];
  for (const [args, message] of cases) {
    const r = heed(...args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.err).toMatch(message);
  }
});

test('a corrupt checkpoint is a clear failure, not a crash', () => {
  const bad = join(dir, 'bad.heed');
  writeFileSync(bad, 'HEED garbage');
  const r = heed('generate', '--model', bad, '--prompt', 'x');
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/checkpoint: /);
});
