/**
 * JSON Lines, read all-or-nothing: every line is parsed and checked before
 * anything is returned, and the first bad line is reported by number.
 */
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

/** IFEval's input lines: {"key", "prompt", "instruction_id_list", "kwargs"}. */
export function checkInput(v: unknown): string | null {
  if (!isObject(v)) return 'expected an object';
  if (typeof v.prompt !== 'string') return '"prompt" must be a string';
  if (!Array.isArray(v.instruction_id_list) || !v.instruction_id_list.every((x) => typeof x === 'string')) {
    return '"instruction_id_list" must be a list of strings';
  }
  if (!Array.isArray(v.kwargs) || v.kwargs.length !== v.instruction_id_list.length || !v.kwargs.every(isObject)) {
    return '"kwargs" must be a list of objects, one per instruction';
  }
  return null;
}

/** IFEval's response lines: {"prompt", "response"}. */
export function checkResponse(v: unknown): string | null {
  if (!isObject(v)) return 'expected an object';
  if (typeof v.prompt !== 'string' || typeof v.response !== 'string') return '"prompt" and "response" must be strings';
  return null;
}

/** Instruction pairs, as the UI imports and exports them: {"prompt", "response"} with non-empty text. */
export function checkPair(v: unknown): string | null {
  if (!isObject(v)) return 'expected an object';
  if (typeof v.prompt !== 'string' || !v.prompt.trim()) return '"prompt" must be a non-empty string';
  if (typeof v.response !== 'string' || !v.response.trim()) return '"response" must be a non-empty string';
  return null;
}

/** Preference pairs: {"prompt", "chosen", "rejected"} with non-empty, different answers. */
export function checkPreference(v: unknown): string | null {
  if (!isObject(v)) return 'expected an object';
  for (const k of ['prompt', 'chosen', 'rejected']) {
    if (typeof v[k] !== 'string' || !(v[k] as string).trim()) return `"${k}" must be a non-empty string`;
  }
  if (v.chosen === v.rejected) return '"chosen" and "rejected" are the same text';
  return null;
}
