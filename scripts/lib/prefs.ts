/** Shared by the preference commands (dpo, rm, rl): reading and aiming pairs. */
import { type PreferencePair, makePreferencePairs } from '../../src/datasets/pairs.ts';
import { checkPreference, parseJsonl } from '../../src/eval/jsonl.ts';
import { UsageError, num, readTextFile, str } from './args.ts';
import { CHECKED_TYPES } from '../../src/tasks/index.ts';

/** `--types a,b`: instruction ids to target (checked against the known types), or undefined for all. */
export function readTypes(values: Record<string, unknown>): string[] | undefined {
  const raw = str(values, 'types');
  if (raw === undefined) {
    if (values['type-share'] !== undefined) throw new UsageError('--type-share needs --types');
    return undefined;
  }
  const types = raw.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = types.filter((t) => !CHECKED_TYPES.includes(t));
  if (!types.length || unknown.length) throw new UsageError(`--types: unknown instruction type "${unknown[0] ?? raw}" (known: ${CHECKED_TYPES.join(', ')})`);
  return types;
}

/** The flags that aim a preference stage at instruction types, for a command's parse spec. */
export const AIM_FLAGS = { types: { type: 'string' }, 'type-share': { type: 'string' } } as const;

export interface Aim {
  types?: string[];
  typeShare: number; // share of built-in pairs or prompts that hold one of `types` (default 1)
}

/** `--types a,b --type-share X`, checked. */
export const readAim = (values: Record<string, unknown>): Aim => ({ types: readTypes(values), typeShare: num(values, 'type-share', 1, 0, 1) });

export function readPreferences(source: string | undefined, seed: number, count: number, aim: Aim = { typeShare: 1 }): PreferencePair[] {
  if (!source) throw new UsageError('--pairs builtin|FILE is required');
  if (source === 'builtin') return makePreferencePairs(seed, count, aim.types, aim.typeShare);
  const pairs = parseJsonl<PreferencePair>(readTextFile('pairs', source), checkPreference, `${source} line`);
  if (!pairs.length) throw new UsageError(`--pairs: "${source}" holds no pairs`);
  return pairs;
}

