/**
 * npm run suites — write the evaluation suites (src/eval/suites/*.json) from
 * their generators. The only way the frozen suites change: run it on purpose,
 * then re-measure every figure quoted on them (README, shipped-model tests).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/models.ts';
import { SUITE_NAMES, generateSuite } from '../src/eval/suite.ts';

for (const name of SUITE_NAMES) {
  const suite = generateSuite(name);
  const file = join(ROOT, 'src/eval/suites', `${name}.json`);
  writeFileSync(file, `[\n${suite.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`);
  console.log(`${name}: ${suite.length} prompts → src/eval/suites/${name}.json`);
}
