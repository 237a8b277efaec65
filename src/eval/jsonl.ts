/**
 * JSON Lines, read all-or-nothing: every line is parsed and checked before
 * anything is returned, and the first bad line is reported by number. Text
 * fields are capped (MAX_TEXT_CHARS): IFEval's longest response is 4,638
 * characters and Heed's largest block is 1,024 tokens, so a longer field is
 * a mistake, and one that would otherwise surface later as a slow or failing
 * run far from the line that caused it.
 */
export const MAX_TEXT_CHARS = 100_000;

export function parseJsonl<T>(text: string, check: (value: unknown) => string | null, what = 'line'): T[] {
  const out: T[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(`${what} ${i + 1}: not valid JSON (${(e as Error).message})`);
    }
    const problem = check(value);
    if (problem) throw new Error(`${what} ${i + 1}: ${problem}`);
    out.push(value as T);
  });
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why field `k` is not acceptable text (a string, within the cap, non-empty when asked), or null. */
function textProblem(v: Record<string, unknown>, k: string, nonEmpty: boolean): string | null {
  const s = v[k];
  if (typeof s !== 'string' || (nonEmpty && !s.trim())) return `"${k}" must be a ${nonEmpty ? 'non-empty ' : ''}string`;
  if (s.length > MAX_TEXT_CHARS) return `"${k}" is ${s.length.toLocaleString('en')} characters long; the limit is ${MAX_TEXT_CHARS.toLocaleString('en')}`;
  return null;
}

const firstProblem = (v: Record<string, unknown>, keys: string[], nonEmpty: boolean) =>
  keys.map((k) => textProblem(v, k, nonEmpty)).find((p) => p !== null) ?? null;

/** IFEval's input lines: {"key", "prompt", "instruction_id_list", "kwargs"}. */
export function checkInput(v: unknown): string | null {
  if (!isObject(v)) return 'expected an object';
  const text = textProblem(v, 'prompt', false);
  if (text) return text;
  if (!Array.isArray(v.instruction_id_list) || !v.instruction_id_list.every((x) => typeof x === 'string')) {
    return '"instruction_id_list" must be a list of strings';
  }
  if (!Array.isArray(v.kwargs) || v.kwargs.length !== v.instruction_id_list.length || !v.kwargs.every(isObject)) {
    return '"kwargs" must be a list of objects, one per instruction';
  }
  if (JSON.stringify(v.kwargs).length > MAX_TEXT_CHARS) return `"kwargs" is longer than ${MAX_TEXT_CHARS.toLocaleString('en')} characters`;
  return null;
}

/** IFEval's response lines: {"prompt", "response"}. */
export function checkResponse(v: unknown): string | null {
  if (!isObject(v)) return 'expected an object';
  return firstProblem(v, ['prompt', 'response'], false);
}

/** Instruction pairs, as the UI imports and exports them: {"prompt", "response"} with non-empty text. */
export function checkPair(v: unknown): string | null {
  if (!isObject(v)) return 'expected an object';
  return firstProblem(v, ['prompt', 'response'], true);
}

/** Preference pairs: {"prompt", "chosen", "rejected"} with non-empty, different answers. */
export function checkPreference(v: unknown): string | null {
  if (!isObject(v)) return 'expected an object';
  const text = firstProblem(v, ['prompt', 'chosen', 'rejected'], true);
  if (text) return text;
  if (v.chosen === v.rejected) return '"chosen" and "rejected" are the same text';
  return null;
}
