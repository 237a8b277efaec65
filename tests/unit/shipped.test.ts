/** The shipped models: listed in the manifest, small, loadable, and the SFT one clears the held-out haiku bar. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { evaluateModel } from '../../src/eval/run.ts';
import { makeHaikuSuite } from '../../src/eval/suite.ts';
import { useBackend } from './helpers.ts';

const dir = join(process.cwd(), 'models');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { models: Record<string, unknown>[] };
const entry = (name: string) => manifest.models.find((m) => m.name === name)!;
const load = (name: string) => loadCheckpoint(new Uint8Array(readFileSync(join(dir, entry(name).file as string))));

test('the manifest lists base and sft with how they were made', () => {
  for (const name of ['base', 'sft']) {
    const e = entry(name);
    expect(e, name).toBeDefined();
    expect(Object.keys(e).sort()).toEqual(['command', 'file', 'machine', 'name', 'preset', 'seconds', 'seed', 'stage', 'steps'].sort());
    expect(statSync(join(dir, e.file as string)).size).toBeLessThan(10 * 2 ** 20);
  }
});

test('both load; their headers agree with the manifest', async () => {
  await useBackend('wasm');
  for (const name of ['base', 'sft']) {
    const { model, header } = load(name);
    expect(header.stage).toBe(entry(name).stage);
    model.dispose();
  }
});

test('the shipped SFT model passes the 90% held-out haiku bar (greedy)', async () => {
  await useBackend('wasm');
  const { model, tokenizer } = load('sft');
  const report = await evaluateModel(model, tokenizer, makeHaikuSuite('heldout'), { maxNewTokens: 90 });
  expect(report.summary.promptStrict).toBeGreaterThanOrEqual(0.9);
  model.dispose();
}, 300_000);
