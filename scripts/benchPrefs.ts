/**
 * npm run bench:prefs — preference tuning, measured. From an under-tuned SFT
 * model (default: the shipped `sft-early`, the SFT recipe stopped at step
 * 1500), aim DPO and RL from verifiable rewards at the instruction types it
 * fails most, and train a reward model on built-in pairs of all types; score the held-out suite before and
 * after (greedy, prompt-level strict) on the prompts holding a targeted type
 * and on all the others. Ends with one JSON line
 * {"sftPromptStrict","dpoPromptStrict","rlPromptStrict","rmAccuracy","targetTypes", ...}
 * where the three PromptStrict figures are on the targeted prompts (the
 * others' figures and the whole suite's follow in the same line).
 * Each stage is the CLI's (`heed dpo`, `heed rl`, `heed rm`) with the flags printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint } from '../src/engine/checkpoint.ts';
import { evaluateModel } from '../src/eval/run.ts';
import { suiteByName } from '../src/eval/suite.ts';
import { targetedSummary } from '../src/eval/targets.ts';
import { dpoCommand } from './commands/dpo.ts';
import { rlCommand } from './commands/rl.ts';
import { rmCommand } from './commands/rm.ts';
import { parse, str } from './lib/args.ts';
import { readModelBytes } from './lib/models.ts';
import { machineDescription } from './lib/node.ts';
import { readTypes } from './lib/prefs.ts';
import { startBackend } from './lib/session.ts';

const DEFAULT_TYPES = 'detectable_format:number_bullet_lists,startend:end_checker';
const v = parse(process.argv.slice(2), {
  model: { type: 'string' }, types: { type: 'string' }, backend: { type: 'string' },
  dpo: { type: 'string' }, rl: { type: 'string' }, rm: { type: 'string' },
});
const model = str(v, 'model', 'sft-early')!;
const types = readTypes({ types: str(v, 'types', DEFAULT_TYPES) })!;
const backend = str(v, 'backend', 'wasm')!;
const common = ['--backend', backend, '--seed', '1'];
const aim = ['--types', types.join(',')];
// Each stage's flags (overridable as one string: --dpo "--iters 50 ...").
const flags = {
  dpo: str(v, 'dpo', '--pairs builtin --type-share 0.5 --iters 100 --lr 1e-4 --beta 0.5 --eval-every 100')!.split(' '),
  rl: str(v, 'rl', '--reward verify --type-share 0.25 --iters 60 --lr 5e-5 --beta 0.05 --suite-size 0')!.split(' '),
  rm: str(v, 'rm', '--pairs builtin --iters 300 --lr 1e-4 --eval-every 300')!.split(' '),
};
const info = await startBackend(backend, false);
const suite = suiteByName('heldout');
const dir = mkdtempSync(join(tmpdir(), 'heed-prefs-'));

async function score(file: string) {
  const { model: m, tokenizer } = await loadCheckpoint(readModelBytes(file).bytes);
  const report = await evaluateModel(m, tokenizer, suite, { maxNewTokens: 160 });
  m.dispose();
  return { ...targetedSummary(suite, report, types), all: report.summary.promptStrict, perType: report.summary.perType };
}

const started = performance.now();
const rows: [string, Awaited<ReturnType<typeof score>>][] = [['SFT (start)', await score(model)]];
console.log(`\n== dpo ${flags.dpo.join(' ')}`);
await dpoCommand(['--model', model, ...flags.dpo, ...aim, ...common, '--out', join(dir, 'dpo.heed')]);
rows.push(['DPO', await score(join(dir, 'dpo.heed'))]);
console.log(`\n== rl ${flags.rl.join(' ')}`);
await rlCommand(['--model', model, ...flags.rl, ...aim, ...common, '--out', join(dir, 'rl.heed')]);
rows.push(['RL (verifiers)', await score(join(dir, 'rl.heed'))]);
console.log(`\n== rm ${flags.rm.join(' ')}`);
const { rmAccuracy } = await rmCommand(['--model', model, ...flags.rm, ...common]);
rmSync(dir, { recursive: true, force: true });

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const first = rows[0][1];
console.log(`\nheld-out suite (${suite.length} prompts, greedy), prompt-level strict; targeted types: ${types.join(', ')}`);
console.log(`| model | targeted prompts (${first.targetedPrompts}) | other prompts (${first.otherPrompts}) | all |`);
console.log('| --- | --- | --- | --- |');
for (const [name, r] of rows) console.log(`| ${name} | ${pct(r.targeted)} | ${pct(r.others)} | ${pct(r.all)} |`);
console.log(`\nper targeted type (instruction-level strict): ${types.map((t) => `${t}: ${rows.map(([n, r]) => `${n} ${pct(r.perType[t]?.strict ?? 0)}`).join(', ')}`).join('; ')}`);
console.log(`reward model: held-out pair accuracy ${pct(rmAccuracy)}`);
console.log(`${((performance.now() - started) / 1000).toFixed(0)} s on ${info.name}, ${machineDescription()}`);
const [sft, dpo, rl] = rows.map(([, r]) => r);
console.log(JSON.stringify({
  sftPromptStrict: sft.targeted, dpoPromptStrict: dpo.targeted, rlPromptStrict: rl.targeted, rmAccuracy, targetTypes: types,
  othersPromptStrict: { sft: sft.others, dpo: dpo.others, rl: rl.others }, allPromptStrict: { sft: sft.all, dpo: dpo.all, rl: rl.all },
  model, backend: info.name, seconds: Math.round((performance.now() - started) / 1000),
}));
