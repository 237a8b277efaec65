/**
 * npm run bench:quality — is the math right? Train the `baby` preset on
 * tinyshakespeare with nanoGPT's recipe (the preset's defaults) and compare
 * the validation curve with nanoGPT's, measured on this machine class:
 * 2.44 @250, 2.05 @1000, 1.886 @2000. Pass: val loss <= 1.90 at 2000.
 * Extra flags go to `heed pretrain` (e.g. --backend cpu, --iters 500).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pretrainCommand } from './commands/pretrain.ts';
import { ROOT } from './lib/models.ts';
import { machineDescription } from './lib/node.ts';

const data = join(ROOT, '..', 'shared', 'data', 'tinyshakespeare.txt');
if (!existsSync(data)) {
  console.error(`bench:quality needs ${data} (the shared reference data beside the project)`);
  process.exit(1);
}
const extra = process.argv.slice(2);
const t0 = performance.now();
const r = await pretrainCommand(['--data', data, '--preset', 'baby', ...(extra.includes('--backend') ? [] : ['--backend', 'wasm']), ...extra]);
const seconds = (performance.now() - t0) / 1000;
const pass = r.step >= 2000 ? (r.valLoss ?? Infinity) <= 1.9 : undefined;
console.log(JSON.stringify({
  benchmark: 'quality', preset: 'baby', steps: r.step, valLoss: r.valLoss, trainLoss: r.trainLoss,
  nanoGPTValLoss: 1.886, target: 1.9, pass, seconds: Math.round(seconds), machine: machineDescription(),
}));
