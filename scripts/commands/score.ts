/**
 * heed score: score responses already written, in IFEval's own file formats,
 * with Heed's checks — so any model's answers can be scored, and Heed's
 * checks audited against text nobody here wrote.
 */
import { type OfficialVerdict, checkVerdict, compareVerdicts } from '../../src/eval/agreement.ts';
import { type InputExample, checkScorable, scorePrompt, summarise } from '../../src/eval/score.ts';
import { checkResponse, parseJsonl } from '../../src/eval/jsonl.ts';
import { loadLanguageModel } from '../../src/tasks/language.ts';
import { UsageError, emit, parse, readTextFile, str } from '../lib/args.ts';

export const scoreHelp = `heed score --input FILE --responses FILE [--official FILE] [--json]
  --input      IFEval prompts: {"key", "prompt", "instruction_id_list", "kwargs"} per line
  --responses  {"prompt", "response"} per line, matched to inputs by prompt text
  --official   another checker's verdicts on the same responses, {"key", "strict", "loose",
               "instruction_id_list"} per line: report per-prompt agreement and every disagreement
  scored with IFEval's rules (change_case:english_* ask langdetect for "en");
  prints one line per prompt {"key", "strict", "loose"} with --json, then the summary`;

function readJsonl<T>(flag: string, path: string | undefined, check: (v: unknown) => string | null): T[] {
  if (!path) throw new UsageError(`score needs --${flag} FILE`);
  return parseJsonl<T>(readTextFile(flag, path), check, `${path} line`);
}

export async function scoreCommand(argv: string[]): Promise<void> {
  const v = parse(argv, { input: { type: 'string' }, responses: { type: 'string' }, official: { type: 'string' }, json: { type: 'boolean' } });
  const json = Boolean(v.json);
  const inputs = readJsonl<InputExample>('input', str(v, 'input'), checkScorable);
  const responses = readJsonl<{ prompt: string; response: string }>('responses', str(v, 'responses'), checkResponse);
  const byPrompt = new Map(responses.map((r) => [r.prompt, r.response]));
  const scored = inputs.filter((i) => byPrompt.has(i.prompt));
  const missing = inputs.length - scored.length;
  await loadLanguageModel();
  const results = scored.map((inp) => scorePrompt(inp, byPrompt.get(inp.prompt)!, 'ifeval'));
  results.forEach((r, i) => {
    const { key, strict, loose } = r;
    const failed = scored[i].instruction_id_list.filter((_, j) => !strict.follow_instruction_list[j]);
    emit(json, { key, strict, loose }, `${key ?? i}: ${strict.follow_all ? 'PASS' : 'FAIL'}${failed.length ? ` (${failed.join(', ')})` : ''}`);
  });
  const officialPath = str(v, 'official');
  const official = officialPath ? readJsonl<OfficialVerdict>('official', officialPath, checkVerdict) : null;
  let agreement;
  try {
    agreement = official ? compareVerdicts(scored, results, official) : undefined;
  } catch (e) {
    throw new UsageError(`--official ${officialPath}: ${(e as Error).message}`);
  }
  const summary = { ...summarise(scored, results), missingResponses: missing, ...(agreement ? { agreement } : {}) };
  if (json) console.log(JSON.stringify(summary));
  else {
    console.log(`\n${summary.prompts} prompts scored${missing ? `, ${missing} without a response` : ''}`);
    console.log(`prompt-level strict ${summary.promptStrict.toFixed(4)}  loose ${summary.promptLoose.toFixed(4)}`);
    console.log(`instruction-level strict ${summary.instructionStrict.toFixed(4)}  loose ${summary.instructionLoose.toFixed(4)}`);
    for (const [id, t] of Object.entries(summary.perType)) console.log(`  ${id.padEnd(44)} n=${String(t.count).padStart(3)}  strict ${t.strict.toFixed(3)}  loose ${t.loose.toFixed(3)}`);
    if (agreement) {
      const a = agreement;
      console.log(`\nagreement with ${officialPath}, per prompt: strict ${a.strict} / ${a.prompts}, loose ${a.loose} / ${a.prompts}; ` +
        `per instruction: strict ${a.instructionStrict} / ${a.instructions}, loose ${a.instructionLoose} / ${a.instructions}`);
      for (const d of a.disagreements) {
        console.log(`  ${d.key} ${d.mode}: ${d.instructions.map((x) => `${x.id} heed ${x.heed} official ${x.official}`).join('; ')}`);
      }
    }
  }
}
