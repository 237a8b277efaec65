/**
 * The Heed CLI: the pipeline's stages over the same engine the browser runs.
 *   npm run heed -- <command> [options]     (--help on any command)
 * Bad arguments print one line and exit with code 2 (checked before any
 * work); failures exit 1.
 */
import { UsageError } from './lib/args.ts';
import { benchCommand, benchHelp } from './commands/bench.ts';
import { generateCommand, generateHelp } from './commands/generate.ts';
import { pretrainCommand, pretrainHelp } from './commands/pretrain.ts';
import { scoreCommand, scoreHelp } from './commands/score.ts';
import { evalCommand, evalHelp } from './commands/evaluate.ts';
import { sftCommand, sftHelp } from './commands/sft.ts';
import { corpusCommand, corpusHelp } from './commands/corpus.ts';
import { dpoCommand, dpoHelp } from './commands/dpo.ts';
import { rmCommand, rmHelp } from './commands/rm.ts';
import { rlCommand, rlHelp } from './commands/rl.ts';
import { averageCommand, averageHelp } from './commands/average.ts';
import { exportCommand, exportHelp } from './commands/export.ts';
import { importCommand, importHelp } from './commands/import.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<unknown>; help: string }> = {
  pretrain: { run: pretrainCommand, help: pretrainHelp },
  sft: { run: sftCommand, help: sftHelp },
  generate: { run: generateCommand, help: generateHelp },
  bench: { run: benchCommand, help: benchHelp },
  eval: { run: evalCommand, help: evalHelp },
  score: { run: scoreCommand, help: scoreHelp },
  corpus: { run: corpusCommand, help: corpusHelp },
  dpo: { run: dpoCommand, help: dpoHelp },
  rm: { run: rmCommand, help: rmHelp },
  rl: { run: rlCommand, help: rlHelp },
  average: { run: averageCommand, help: averageHelp },
  export: { run: exportCommand, help: exportHelp },
  import: { run: importCommand, help: importHelp },
};

const usage = `usage: npm run heed -- <command> [options]\n\ncommands:\n${Object.values(COMMANDS)
  .map((c) => '  ' + c.help.split('\n')[0])
  .join('\n')}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    console.error(`heed: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; npm run heed -- --help)`);
    return 2;
  }
  if (rest.includes('--help')) {
    console.log(cmd.help);
    return 0;
  }
  try {
    await cmd.run(rest);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`heed ${name}: ${e.message.replace(/\s*\n\s*/g, ' ')} (heed ${name} --help for usage)`);
      return 2;
    }
    console.error(`heed ${name}: ${(e as Error).message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
