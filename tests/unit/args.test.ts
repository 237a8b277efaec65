/** CLI flags are checked before any work: numbers, backends, input files and output paths, each error naming its flag and file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { UsageError, num, parse, readTextFile } from '../../scripts/lib/args.ts';
import { readModelBytes } from '../../scripts/lib/models.ts';
import { pretrainCommand } from '../../scripts/commands/pretrain.ts';
import { rlCommand } from '../../scripts/commands/rl.ts';
import { sftCommand } from '../../scripts/commands/sft.ts';

const dir = mkdtempSync(join(tmpdir(), 'heed-args-'));
const file = join(dir, 'text.txt');
writeFileSync(file, 'hello');

test('numbers are plain decimals in range', () => {
  const n = (raw: string, integer = true) => num({ x: raw }, 'x', 0, 0, 100, integer);
  expect(n('3')).toBe(3);
  expect(n('1e1')).toBe(10);
  expect(n('2.5', false)).toBe(2.5);
  for (const bad of ['0x3', '0b11', ' 3 ', '', '3.5', '-1', 'Infinity', '1e2.5']) {
    expect(() => n(bad), JSON.stringify(bad)).toThrow(`--x must be an integer in [0, 100], got "${bad}"`);
  }
  expect(() => n('1e999')).toThrow('got "1e999" (too large to represent)');
  expect(num({}, 'x', 7, 0, 1)).toBe(7);
});

test('shared flags are checked by parse, wherever a command declares them', () => {
  const spec = { backend: { type: 'string' }, out: { type: 'string' }, 'save-dir': { type: 'string' }, ship: { type: 'string' } } as const;
  const bad: [string[], string][] = [
    [['--backend', 'nope'], '--backend must be one of auto, webgpu, webgl, wasm, cpu, got "nope"'],
    [['--backend', 'toString'], 'got "toString"'],
    [['--out', dir], `--out: "${dir}" is a folder; give a file name`],
    [['--out', '/no/such/folder/m.heed'], '--out: the folder "/no/such/folder" does not exist'],
    [['--out', join(file, 'm.heed')], `--out: "${file}" is not a folder`],
    [['--out', ''], '--out needs a file name'],
    [['--save-dir', file], `--save-dir: "${file}" is not a folder`],
    [['--save-dir', '/no/such/folder'], '--save-dir: the folder "/no/such/folder" does not exist'],
    [['--ship', '../escape'], '--ship takes a model name'],
    [['--wat'], "Unknown option '--wat'"],
  ];
  for (const [argv, message] of bad) {
    expect(() => parse(argv, spec), argv.join(' ')).toThrow(UsageError);
    expect(() => parse(argv, spec), argv.join(' ')).toThrow(message);
  }
  expect(parse(['--backend', 'wasm', '--out', join(dir, 'new.heed'), '--save-dir', dir, '--ship', 'sft-2'], spec)).toMatchObject({ backend: 'wasm' });
});

test('input files: the flag and the file are named, never a raw EISDIR', () => {
  expect(readTextFile('data', file)).toBe('hello');
  expect(() => readTextFile('data', dir)).toThrow(`--data: "${dir}" is a folder, not a file`);
  expect(() => readTextFile('data', join(dir, 'missing.txt'))).toThrow('--data: no such file');
  expect(() => readModelBytes(dir)).toThrow('is a folder, not a checkpoint file');
});

test('commands refuse bad flags before any work (no backend started, no model loaded)', async () => {
  const cases: [Promise<unknown>, string][] = [
    [sftCommand(['--model', 'base', '--pairs', dir]), `--pairs: "${dir}" is a folder, not a file`],
    [sftCommand(['--model', 'base', '--pairs', 'builtin', '--save-every', '5']), '--save-every needs --save-dir DIR'],
    [sftCommand(['--model', 'base', '--pairs', 'builtin', '--batch', '0x10']), '--batch must be an integer'],
    [pretrainCommand(['--data', dir]), `--data: "${dir}" is a folder, not a file`],
    [pretrainCommand(['--data', 'builtin', '--iters', '0b11']), 'got "0b11"'],
    [rlCommand(['--model', 'base', '--reward', 'rm', '--suite-size', '500']), '--suite-size must be an integer in [0, 120]'],
    [rlCommand(['--model', 'base', '--reward', 'verify', '--pairs', 'builtin']), '--pairs is for --reward rm'],
  ];
  for (const [run, message] of cases) await expect(run).rejects.toThrow(message);
});
