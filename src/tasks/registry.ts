/**
 * Every instruction type Heed can check, by IFEval id (and `heed:` for
 * Heed's own), and the strict/loose verification IFEval defines. One
 * registry: IFEval's checks by family, and Heed's own types' checks taken
 * from the tasks that generate them (a task of an IFEval type verifies with
 * that type's check; tests/unit/verify.test.ts keeps it so).
 */
import { changeCase } from './ifeval/changeCase.ts';
import { detectableFormat } from './ifeval/detectableFormat.ts';
import { keywords } from './ifeval/keywords.ts';
import { lengthConstraints } from './ifeval/lengthConstraints.ts';
import { startEnd } from './ifeval/startEnd.ts';
import { ALL_TASKS, CHECKED_TYPES } from './index.ts';
import type { Kwargs, Rules, Verdict, VerifyFn } from './types.ts';

/** Heed's own types (heed:*), sized for a tiny model: their tasks carry the checks (prose has none). */
const heedChecks: Record<string, VerifyFn> = Object.fromEntries(
  ALL_TASKS.filter((t) => t.id.startsWith('heed:') && CHECKED_TYPES.includes(t.id)).map((t) => [t.id, t.verify]),
);

export const VERIFIERS: Record<string, VerifyFn> = {
  ...changeCase, ...detectableFormat, ...keywords, ...lengthConstraints, ...startEnd, ...heedChecks,
};

export const isInstruction = (id: string) => Object.hasOwn(VERIFIERS, id);

/** IFEval leaves out arguments that are null; so do we. */
function cleanKwargs(k: Kwargs | undefined): Kwargs {
  return Object.fromEntries(Object.entries(k ?? {}).filter(([, v]) => v !== null && v !== undefined));
}

/** Strict: the response as written (an empty response never follows). */
export function verifyStrict(id: string, response: string, kwargs: Kwargs | undefined, prompt = '', rules: Rules = 'heed'): Verdict {
  // Own entries only: "toString" or "__proto__" is an unknown instruction, not Object's method.
  const f = Object.hasOwn(VERIFIERS, id) ? VERIFIERS[id] : undefined;
  if (!f) throw new Error(`unknown instruction ${JSON.stringify(id)}`);
  if (!response.trim()) return { pass: false, reason: 'empty response' };
  return f(response, cleanKwargs(kwargs), prompt, rules);
}

/**
 * Loose (IFEval): also try the response without its first line, its last
 * line, or both, each with and without `*` markers; any variant passing counts.
 */
export function looseVariants(response: string): string[] {
  const lines = response.split('\n');
  const first = lines.slice(1).join('\n').trim();
  const last = lines.slice(0, -1).join('\n').trim();
  const both = lines.slice(1, -1).join('\n').trim();
  const base = [response, first, last, both];
  return [...base, ...base.map((r) => r.replaceAll('*', ''))];
}

export function verifyLoose(id: string, response: string, kwargs: Kwargs | undefined, prompt = '', rules: Rules = 'heed'): Verdict {
  let last: Verdict = { pass: false, reason: 'empty response' };
  for (const variant of looseVariants(response)) {
    if (!variant.trim()) continue;
    last = verifyStrict(id, variant, kwargs, prompt, rules);
    if (last.pass) return last;
  }
  return last;
}
