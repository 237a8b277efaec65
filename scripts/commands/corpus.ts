/** heed corpus: write the built-in pretraining corpus as text (documents separated by blank lines and <|doc|>). */
import { writeFileSync } from 'node:fs';
import { buildCorpus } from '../../src/datasets/corpus.ts';
import { UsageError, num, parse, str } from '../lib/args.ts';

export const corpusHelp = `heed corpus --out FILE [--chars N (default 2000000)] [--seed N (default 1)]`;

export async function corpusCommand(argv: string[]): Promise<void> {
  const v = parse(argv, { out: { type: 'string' }, chars: { type: 'string' }, seed: { type: 'string' } });
  const out = str(v, 'out');
  if (!out) throw new UsageError('corpus needs --out FILE');
  const docs = buildCorpus(num(v, 'seed', 1, 0, 2 ** 31, true), num(v, 'chars', 2_000_000, 1000, 1e9, true));
  writeFileSync(out, docs.join('\n<|doc|>\n'));
  console.log(`${docs.length} documents, ${docs.reduce((n, d) => n + d.length, 0)} characters -> ${out}`);
}
