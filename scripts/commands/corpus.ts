/** heed corpus: write the built-in pretraining corpus as text (documents separated by blank lines and <|doc|>). */
import { writeFileSync } from 'node:fs';
import { type GenreWeights, buildCorpus, parseGenres } from '../../src/datasets/corpus.ts';
import { UsageError, num, parse, str } from '../lib/args.ts';

export const corpusHelp = `heed corpus --out FILE [--chars N (default 2000000)] [--seed N (default 1)] [--genres name=weight,...]`;

/** `--genres name=weight,...` as genre weights (undefined when absent); a bad list is a usage error. */
export function genresFlag(v: Record<string, unknown>): GenreWeights | undefined {
  const text = str(v, 'genres');
  try {
    return text === undefined ? undefined : parseGenres(text);
  } catch (e) {
    throw new UsageError(`--genres: ${(e as Error).message}`);
  }
}

export async function corpusCommand(argv: string[]): Promise<void> {
  const v = parse(argv, { out: { type: 'string' }, chars: { type: 'string' }, seed: { type: 'string' }, genres: { type: 'string' } });
  const out = str(v, 'out');
  if (!out) throw new UsageError('corpus needs --out FILE');
  const docs = buildCorpus(num(v, 'seed', 1, 0, 2 ** 31, true), num(v, 'chars', 2_000_000, 1000, 1e9, true), genresFlag(v));
  writeFileSync(out, docs.join('\n<|doc|>\n'));
  console.log(`${docs.length} documents, ${docs.reduce((n, d) => n + d.length, 0)} characters -> ${out}`);
}
