/**
 * IFEval scoring: for each prompt, strict and loose verdicts per
 * instruction; then prompt-level accuracy (all instructions followed) and
 * instruction-level accuracy (each instruction counted), both strict and
 * loose, and the same broken down per instruction type.
 */
import { isInstruction, verifyLoose, verifyStrict } from '../tasks/registry.ts';
import { checkInput } from './jsonl.ts';
import type { Kwargs, Rules } from '../tasks/types.ts';

export interface InputExample {
  key?: number | string;
  prompt: string;
  instruction_id_list: string[];
  kwargs: Kwargs[];
}

export interface Level {
  follow_all: boolean;
  follow_instruction_list: boolean[];
}

export interface PromptScore {
  key?: number | string;
  strict: Level;
  loose: Level;
  reasons: string[]; // strict reasons, one per instruction
}

export interface TypeScore {
  count: number;
  strict: number; // fraction followed, strict
  loose: number;
}

export interface Summary {
  prompts: number;
  promptStrict: number;
  instructionStrict: number;
  promptLoose: number;
  instructionLoose: number;
  perType: Record<string, TypeScore>;
}

/** Heed's suites score with Heed's rules; IFEval's files (heed score) with IFEval's (see Rules). */
export function scorePrompt(input: InputExample, response: string, rules: Rules = 'heed'): PromptScore {
  const strict = input.instruction_id_list.map((id, i) => verifyStrict(id, response, input.kwargs[i], input.prompt, rules));
  const loose = input.instruction_id_list.map((id, i) => verifyLoose(id, response, input.kwargs[i], input.prompt, rules));
  const level = (vs: { pass: boolean }[]): Level => ({
    follow_all: vs.every((v) => v.pass),
    follow_instruction_list: vs.map((v) => v.pass),
  });
  return { key: input.key, strict: level(strict), loose: level(loose), reasons: strict.map((v) => v.reason) };
}

/**
 * An input line Heed can score: IFEval's shape, known instruction ids, and
 * arguments the checks accept (tried on a one-word response), so a bad line
 * is reported by number when the file is read, not halfway through scoring.
 */
export function checkScorable(v: unknown): string | null {
  const problem = checkInput(v);
  if (problem) return problem;
  const input = v as InputExample;
  const unknown = input.instruction_id_list.find((id) => !isInstruction(id));
  if (unknown !== undefined) return `unknown instruction ${JSON.stringify(unknown)}`;
  try {
    scorePrompt(input, 'x');
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

export function summarise(inputs: InputExample[], scores: PromptScore[]): Summary {
  const frac = (xs: boolean[]) => (xs.length ? xs.filter(Boolean).length / xs.length : 0);
  // A Map, not an object: instruction ids come from the input file ("__proto__" is just a name).
  const perType = new Map<string, { s: boolean[]; l: boolean[] }>();
  inputs.forEach((inp, i) =>
    inp.instruction_id_list.forEach((id, j) => {
      const t = perType.get(id) ?? { s: [], l: [] };
      perType.set(id, t);
      t.s.push(scores[i].strict.follow_instruction_list[j]);
      t.l.push(scores[i].loose.follow_instruction_list[j]);
    }),
  );
  return {
    prompts: scores.length,
    promptStrict: frac(scores.map((s) => s.strict.follow_all)),
    instructionStrict: frac(scores.flatMap((s) => s.strict.follow_instruction_list)),
    promptLoose: frac(scores.map((s) => s.loose.follow_all)),
    instructionLoose: frac(scores.flatMap((s) => s.loose.follow_instruction_list)),
    perType: Object.fromEntries(
      [...perType]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, t]) => [id, { count: t.s.length, strict: frac(t.s), loose: frac(t.l) }]),
    ),
  };
}
