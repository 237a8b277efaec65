/**
 * One run per stage: `heed sft` and the worker's `sft` call are adapters over
 * src/stages/sft.ts, so the same settings give the same weights, however each
 * side cuts the run into chunks (checkpoints every 3 steps on the command
 * line, probe rounds every 6 in the worker). And the settings tables are the
 * ranges both sides refuse.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { GPT } from '../../src/engine/model.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { TrainControl } from '../../src/engine/train.ts';
import { RL_PARAMS, SFT_PARAMS } from '../../src/stages/settings.ts';
import { sftCommand } from '../../scripts/commands/sft.ts';
import { rlCommand } from '../../scripts/commands/rl.ts';
import { encodePairs } from '../../workers/api.ts';
import { sftCall } from '../../workers/sft.ts';
import { preferenceCalls } from '../../workers/preferences.ts';
import { useBackend, values } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'heed-stages-'));
const PAIRS = [
  { prompt: 'Say hi.', response: 'hi' },
  { prompt: 'Name a colour.', response: 'red' },
  { prompt: 'Count to three.', response: '1 2 3' },
  { prompt: 'Say no.', response: 'no' },
];

afterEach(() => vi.restoreAllMocks());

test('heed sft and the worker sft call, given the same settings, train the same weights', async () => {
  await useBackend('cpu');
  const tokenizer = CharTokenizer.ascii();
  const start = GPT.create({ vocabSize: tokenizer.vocabSize, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16 }, 5);
  const base = join(dir, 'base.heed');
  writeFileSync(base, await saveCheckpoint(start, tokenizer, { stage: 'pretrain', step: 0, metrics: {} }));
  const pairsFile = join(dir, 'pairs.jsonl');
  writeFileSync(pairsFile, PAIRS.map((p) => JSON.stringify(p)).join('\n'));
  const settings = { iters: 6, lr: 0.01, batchSize: 2, seed: 3 };

  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const out = join(dir, 'cli.heed');
  await sftCommand(['--model', base, '--pairs', pairsFile, '--iters', '6', '--lr', '0.01', '--batch', '2', '--seed', '3',
    '--backend', 'cpu', '--out', out, '--save-every', '3', '--save-dir', dir]);
  const cli = await loadCheckpoint(new Uint8Array(readFileSync(out)));

  const worker = await loadCheckpoint(new Uint8Array(readFileSync(base)));
  const rounds: number[] = [];
  const sft = sftCall({ requireModel: () => worker, begin: () => new TrainControl(), finish: () => undefined, autosave: async () => undefined });
  const r = await sft({ ...settings, probeEvery: 6, pairs: encodePairs(PAIRS) }, () => undefined, (round) => rounds.push(round.step));
  expect(r).toMatchObject({ reason: 'done', step: 6 });
  expect(rounds).toEqual([0, 6]);

  let moved = 0;
  for (const [name, w] of start.weights) {
    const [a, b, s] = await Promise.all([values(cli.model.weights.get(name)!), values(worker.model.weights.get(name)!), values(w)]);
    expect(a, name).toEqual(b);
    if (a.some((x, i) => x !== s[i])) moved++;
  }
  expect(moved).toBeGreaterThan(0); // the runs trained: equal weights are not merely the starting ones
  [start, cli.model, worker.model].forEach((m) => m.dispose());
});

test('the CLI and the worker refuse a setting out of its stage table\'s range, each in its own words', async () => {
  const tokenizer = CharTokenizer.ascii();
  const model = GPT.create({ vocabSize: tokenizer.vocabSize, blockSize: 16, nLayer: 1, nHead: 1, nEmbd: 8 }, 1);
  const ctx = { requireModel: () => ({ model, tokenizer }), begin: () => new TrainControl(), finish: () => undefined, autosave: async () => undefined };
  const tooBig = SFT_PARAMS.batchSize.max + 1;
  await expect(sftCommand(['--model', 'base', '--pairs', 'builtin', '--batch', String(tooBig)])).rejects.toThrow(`--batch must be an integer in [1, ${SFT_PARAMS.batchSize.max}]`);
  const req = { iters: 1, lr: 0.01, batchSize: tooBig, seed: 1, probeEvery: 1, pairs: encodePairs(PAIRS) };
  await expect(sftCall(ctx)(req, () => undefined, () => undefined)).rejects.toThrow(`Batch size must be an integer between 1 and ${SFT_PARAMS.batchSize.max}`);
  const k = String(RL_PARAMS.k.max + 1);
  await expect(rlCommand(['--model', 'base', '--k', k])).rejects.toThrow(`--k must be an integer in [2, ${RL_PARAMS.k.max}]`);
  const rl = preferenceCalls(ctx).rl({ reward: 'verify', iters: 1, k: RL_PARAMS.k.max + 1, beta: 0.1, lr: 1e-5, seed: 1 }, () => undefined);
  await expect(rl).rejects.toThrow(`Samples per prompt must be an integer between 2 and ${RL_PARAMS.k.max}`);
  model.dispose();
});

test('the engine imports nothing of data, tasks, eval or the stages above it (it reads token ids, not the chat template)', () => {
  const root = 'src/engine';
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(10);
  for (const f of files) {
    const text = readFileSync(join(root, f), 'utf8');
    expect(text, f).not.toMatch(/from '(\.\.\/)+(data|tasks|eval|stages|app|ui)\//);
  }
});

test('the layers import downwards only: data (lexicon, topics, text) below tasks, datasets (pairs, corpus) above them', () => {
  const above: Record<string, string[]> = {
    'src/data': ['tasks', 'datasets', 'eval', 'stages', 'app', 'ui'],
    'src/tasks': ['datasets', 'eval', 'stages', 'app', 'ui'],
    'src/datasets': ['eval', 'stages', 'app', 'ui'],
  };
  for (const [root, banned] of Object.entries(above)) {
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    expect(files.length, root).toBeGreaterThan(1);
    const pattern = new RegExp(`from '(\\.\\./)+(${banned.join('|')})/`);
    for (const f of files) expect(readFileSync(join(root, f), 'utf8'), `${root}/${f}`).not.toMatch(pattern);
  }
});
