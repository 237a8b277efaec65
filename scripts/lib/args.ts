/**
 * Argument parsing for the CLI: typed flags with ranges, and one clear
 * message (exit code 2) for anything wrong.
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

type Spec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

export function parse(argv: string[], spec: Spec): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** A number flag within [lo, hi]; integer when asked. */
export function num(
  values: Record<string, unknown>,
  name: string,
  fallback: number,
  lo: number,
  hi: number,
  integer = false,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got "${raw}"`);
  }
  return v;
}

export function str(values: Record<string, unknown>, name: string, fallback?: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}

/** Print one JSON line (machine mode) or a human line. */
export function emit(json: boolean, obj: Record<string, unknown>, human: string): void {
  console.log(json ? JSON.stringify(obj) : human);
}
