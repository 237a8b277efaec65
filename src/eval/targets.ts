/**
 * Prompt-level strict accuracy split by instruction types: the prompts that
 * hold one of the targeted types, and all the others. How a preference stage
 * aimed at some types is judged: it should raise the first and keep the second.
 */
import type { EvalReport } from './run.ts';
import type { SuiteExample } from './suite.ts';

export interface TargetedSummary {
  targeted: number;
  others: number;
  targetedPrompts: number;
  otherPrompts: number;
}

export function targetedSummary(suite: SuiteExample[], report: EvalReport, types: readonly string[]): TargetedSummary {
  if (suite.length !== report.results.length) throw new Error(`the report holds ${report.results.length} results for ${suite.length} prompts`);
  const hit = suite.map((e) => e.instruction_id_list.some((id) => types.includes(id)));
  const pass = report.results.map((r) => r.score.strict.follow_all);
  const share = (want: boolean) => {
    const idx = hit.flatMap((h, i) => (h === want ? [i] : []));
    return { n: idx.length, acc: idx.length ? idx.filter((i) => pass[i]).length / idx.length : 0 };
  };
  const t = share(true);
  const o = share(false);
  return { targeted: t.acc, others: o.acc, targetedPrompts: t.n, otherPrompts: o.n };
}
