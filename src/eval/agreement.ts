/**
 * How far Heed's checks agree with another checker's verdicts, prompt by
 * prompt: the audit of Heed's IFEval checks against Google's own checker
 * (run on the same responses, verdicts saved one line per prompt). A prompt
 * agrees when its whole instruction list gets the same verdicts, strict and
 * loose counted apart; the disagreements are listed so they can be read.
 */
import type { InputExample, Level, PromptScore } from './score.ts';

/** One line of a verdicts file: {"key", "strict": {...}, "loose": {...}, "instruction_id_list"}. */
export interface OfficialVerdict {
  key: number | string;
  strict: Level;
  loose: Level;
  instruction_id_list: string[];
}

export interface Disagreement {
  key: number | string;
  mode: 'strict' | 'loose';
  /** The instructions whose verdicts differ, with Heed's verdict and the other checker's. */
  instructions: { id: string; heed: boolean; official: boolean }[];
}

export interface Agreement {
  prompts: number;
  strict: number; // prompts whose instruction verdicts all agree, strict
  loose: number;
  instructions: number;
  instructionStrict: number; // instructions whose verdicts agree
  instructionLoose: number;
  disagreements: Disagreement[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLevel = (v: unknown) => isObject(v) && typeof v.follow_all === 'boolean' &&
  Array.isArray(v.follow_instruction_list) && v.follow_instruction_list.every((x) => typeof x === 'boolean');

/** A verdicts line, or what is wrong with it (for parseJsonl). */
export function checkVerdict(v: unknown): string | null {
  if (!isObject(v)) return 'expected an object';
  if (typeof v.key !== 'number' && typeof v.key !== 'string') return '"key" must be a number or a string';
  if (!isLevel(v.strict) || !isLevel(v.loose)) return '"strict" and "loose" must be {"follow_all", "follow_instruction_list"}';
  if (!Array.isArray(v.instruction_id_list)) return '"instruction_id_list" must be a list';
  return null;
}

/** Compare Heed's scores of `inputs` with the official verdicts, matched by key; every input needs one. */
export function compareVerdicts(inputs: InputExample[], scores: PromptScore[], official: OfficialVerdict[]): Agreement {
  const byKey = new Map(official.map((o) => [String(o.key), o]));
  const out: Agreement = { prompts: 0, strict: 0, loose: 0, instructions: 0, instructionStrict: 0, instructionLoose: 0, disagreements: [] };
  inputs.forEach((input, i) => {
    const o = byKey.get(String(input.key));
    if (!o) throw new Error(`no official verdict for prompt key ${input.key}`);
    if (o.instruction_id_list.join() !== input.instruction_id_list.join()) {
      throw new Error(`prompt key ${input.key}: the verdicts file lists other instructions (${o.instruction_id_list.join(', ')})`);
    }
    out.prompts++;
    out.instructions += input.instruction_id_list.length;
    for (const mode of ['strict', 'loose'] as const) {
      const heed = scores[i][mode].follow_instruction_list;
      const theirs = o[mode].follow_instruction_list;
      const differ = input.instruction_id_list.map((id, j) => ({ id, heed: heed[j], official: theirs[j] })).filter((d) => d.heed !== d.official);
      const agreeing = input.instruction_id_list.length - differ.length;
      if (mode === 'strict') out.instructionStrict += agreeing;
      else out.instructionLoose += agreeing;
      if (differ.length) out.disagreements.push({ key: input.key ?? i, mode, instructions: differ });
      else out[mode]++;
    }
  });
  return out;
}
