/** heed average: the mean of several checkpoints of one run (checkpoint averaging). */
import { writeFileSync } from 'node:fs';
import { averageModels } from '../../src/engine/average.ts';
import { saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { UsageError, emit, parse, str } from '../lib/args.ts';
import { loadModel, readModelBytes, shipModel, shippedPath } from '../lib/models.ts';
import { machineDescription } from '../lib/node.ts';
import { startBackend } from '../lib/session.ts';

export const averageHelp = `heed average --models A,B,... (--out FILE | --ship NAME) [--backend NAME] [--json]
  Writes the element-wise mean of the checkpoints' weights (same configuration and tokenizer);
  the header keeps the last checkpoint's stage, step, seed and preset.`;

export async function averageCommand(argv: string[]): Promise<void> {
  const v = parse(argv, { models: { type: 'string' }, out: { type: 'string' }, ship: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' } });
  const json = Boolean(v.json);
  const names = (str(v, 'models') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length < 2) throw new UsageError('average needs --models A,B,... (two or more names or files)');
  const ship = str(v, 'ship');
  const out = str(v, 'out') ?? (ship ? shippedPath(ship) : undefined);
  if (!out) throw new UsageError('average needs --out FILE or --ship NAME');
  const inputs = names.map((n) => readModelBytes(n)); // every name checked before any work
  await startBackend(str(v, 'backend', 'auto')!, json);
  const startedAt = performance.now();
  const loaded: Awaited<ReturnType<typeof loadModel>>[] = [];
  try {
    for (const file of inputs) loaded.push(await loadModel(file));
    const vocab = JSON.stringify(loaded[0].tokenizer.toJSON());
    const other = loaded.findIndex((l) => JSON.stringify(l.tokenizer.toJSON()) !== vocab);
    if (other >= 0) throw new Error(`${names[other]} has another tokenizer than ${names[0]}: only checkpoints of one run can be averaged`);
    const mean = await averageModels(loaded.map((l) => l.model));
    const { header, tokenizer } = loaded[loaded.length - 1];
    writeFileSync(out, await saveCheckpoint(mean, tokenizer, { stage: header.stage, step: header.step, seed: header.seed, preset: header.preset, metrics: { averagedCheckpoints: names.length } }));
    mean.dispose();
    const seconds = Math.round((performance.now() - startedAt) / 1000);
    if (ship) shipModel({ name: ship, stage: header.stage, preset: header.preset ?? 'custom', steps: header.step, seed: header.seed ?? 0, command: `npm run heed -- average ${argv.join(' ')}`, seconds, machine: machineDescription() });
    emit(json, { done: true, averaged: names.length, out }, `averaged ${names.length} checkpoints into ${out}`);
  } finally {
    loaded.forEach((l) => l.model.dispose());
  }
}
