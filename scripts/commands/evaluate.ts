/** heed eval: run a model on a suite and score it (IFEval levels, per type, failure labels). */
import { evaluateModel } from '../../src/eval/run.ts';
import { describeVariety } from '../../src/eval/variety.ts';
import { SUITE_NAMES, type SuiteName, suiteByName } from '../../src/eval/suite.ts';
import { UsageError, emit, num, parse, str } from '../lib/args.ts';
import { loadModel, readModelBytes } from '../lib/models.ts';
import { startBackend } from '../lib/session.ts';

export const evalHelp = `heed eval --model NAME|FILE [--suite ${SUITE_NAMES.join('|')}] [options]
  --limit N          score the first N prompts of the suite (default: all)
  --format chat|document   chat template (default) or the raw prompt, as a base model reads text
  --max-tokens N (default 160)   --backend NAME   --json`;


export async function evalCommand(argv: string[]): Promise<void> {
  const v = parse(argv, {
    model: { type: 'string' }, suite: { type: 'string' }, limit: { type: 'string' }, format: { type: 'string' },
    'max-tokens': { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' },
  });
  const json = Boolean(v.json);
  const name = str(v, 'model');
  if (!name) throw new UsageError('eval needs --model NAME|FILE');
  const suiteName = str(v, 'suite', 'heldout')!;
  if (!(SUITE_NAMES as readonly string[]).includes(suiteName)) throw new UsageError(`--suite must be one of ${SUITE_NAMES.join(', ')}`);
  const format = str(v, 'format', 'chat')!;
  if (format !== 'chat' && format !== 'document') throw new UsageError('--format must be chat or document');
  const full = suiteByName(suiteName as SuiteName);
  const suite = full.slice(0, num(v, 'limit', full.length, 1, full.length, true));
  const maxNewTokens = num(v, 'max-tokens', 160, 1, 1000, true);
  const file = readModelBytes(name);
  await startBackend(str(v, 'backend', 'auto')!, json, json);
  const { model, tokenizer } = await loadModel(file);
  const report = await evaluateModel(model, tokenizer, suite, {
    format, maxNewTokens,
    onResult: (r) => emit(json, { key: r.key, strict: r.score.strict, loose: r.score.loose, label: r.label, response: r.response },
      `[${r.score.strict.follow_all ? 'PASS' : 'FAIL'} ${r.label}] ${r.prompt}\n  ${r.response.replace(/\n/g, '\n  ')}`),
  });
  const s = report.summary;
  const { repeatedLineShare, haikuDiversity } = report.variety;
  emit(json, { suite: suiteName, ...s, labels: report.labels, repeatedLineShare, haikuDiversity },
    `\n${suiteName}: prompt strict ${s.promptStrict.toFixed(3)}, instruction strict ${s.instructionStrict.toFixed(3)}, ` +
    `prompt loose ${s.promptLoose.toFixed(3)}, instruction loose ${s.instructionLoose.toFixed(3)}\nlabels: ${JSON.stringify(report.labels)}\n` +
    `variety: ${describeVariety(report.variety)}`);
  model.dispose();
}
