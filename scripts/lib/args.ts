/**
 * Argument parsing for the CLI: typed flags with ranges, and one clear
 * message (exit code 2) for anything wrong, before any work starts.
 *
 * `parse` also checks the flags every command shares, wherever a command
 * declares them: `--backend` (a known name), `--out` (a file that can be
 * written: its folder exists, it is not a folder), `--save-dir` (a folder
 * that can be written) and `--ship` (a plain model name). A typo there used
 * to surface only when the result was written, after a long run.
 * Numbers are plain decimals ("0x3", " 3 " and "1e999" are refused).
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKENDS } from '../../src/engine/backend.ts';
import { parseDecimal } from '../../src/engine/numbers.ts';
import { type Param, paramHelp } from '../../src/stages/params.ts';

export class UsageError extends Error {}

type Spec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;
type Values = Record<string, string | boolean | undefined>;

export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;

export function parse(argv: string[], spec: Spec): Values {
  let values: Values;
  try {
    values = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values as Values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  checkSharedFlags(values);
  return values;
}

function checkSharedFlags(values: Values): void {
  const backend = str(values, 'backend');
  if (backend !== undefined && !(BACKEND_CHOICES as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got "${backend}"`);
  }
  const out = str(values, 'out');
  if (out !== undefined) checkOutputFile('out', out);
  const saveDir = str(values, 'save-dir');
  if (saveDir !== undefined) checkOutputDir('save-dir', saveDir);
  const ship = str(values, 'ship');
  if (ship !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(ship)) {
    throw new UsageError(`--ship takes a model name (letters, digits, - and _), got "${ship}"`);
  }
}

const writable = (path: string) => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** A file the command can write: not a folder, in a folder that exists and can be written. */
export function checkOutputFile(flag: string, path: string): void {
  if (!path) throw new UsageError(`--${flag} needs a file name`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UsageError(`--${flag}: "${path}" is a folder; give a file name`);
    if (!writable(path)) throw new UsageError(`--${flag}: "${path}" cannot be written (permission denied)`);
    return;
  }
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new UsageError(`--${flag}: the folder "${folder}" does not exist`);
  if (!statSync(folder).isDirectory()) throw new UsageError(`--${flag}: "${folder}" is not a folder`);
  if (!writable(folder)) throw new UsageError(`--${flag}: cannot write in the folder "${folder}" (permission denied)`);
}

/** A folder that exists and can be written. */
export function checkOutputDir(flag: string, path: string): void {
  if (!path) throw new UsageError(`--${flag} needs a folder`);
  if (!existsSync(path)) throw new UsageError(`--${flag}: the folder "${path}" does not exist`);
  if (!statSync(path).isDirectory()) throw new UsageError(`--${flag}: "${path}" is not a folder`);
  if (!writable(path)) throw new UsageError(`--${flag}: cannot write in the folder "${path}" (permission denied)`);
}

/** The text of an input file, with its flag and name in every error (no raw ENOENT or EISDIR). */
export function readTextFile(flag: string, path: string): string {
  if (!existsSync(path)) throw new UsageError(`--${flag}: no such file "${path}"`);
  if (statSync(path).isDirectory()) throw new UsageError(`--${flag}: "${path}" is a folder, not a file`);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--${flag}: cannot read "${path}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
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
  const parsed = parseDecimal(String(raw));
  const want = `--${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got "${raw}"`;
  if (!('value' in parsed)) throw new UsageError(parsed.problem === 'not a decimal number' ? want : `${want} (${parsed.problem})`);
  const v = parsed.value;
  if (v < lo || v > hi || (integer && !Number.isInteger(v))) throw new UsageError(want);
  return v;
}

/** A number flag as its stage's table has it (src/stages/params.ts): flag name, range, default. */
export const flag = (values: Record<string, unknown>, p: Param, fallback = p.default): number => num(values, p.flag, fallback, p.min, p.max, p.integer);

/** Every flag of a table, keyed as the table is. */
export function readFlags<K extends string>(values: Record<string, unknown>, table: Record<K, Param>): Record<K, number> {
  return Object.fromEntries(Object.entries<Param>(table).map(([k, p]) => [k, flag(values, p)])) as Record<K, number>;
}

/** The parseArgs spec of a table's flags (all strings, read by `flag`). */
export const flagSpec = (table: Record<string, Param>): Spec =>
  Object.fromEntries(Object.values(table).map((p) => [p.flag, { type: 'string' as const }]));

/** --help lines for a table's flags. */
export const flagHelp = (table: Record<string, Param>, indent = '  '): string => Object.values(table).map((p) => indent + paramHelp(p)).join('\n');

export function str(values: Record<string, unknown>, name: string, fallback?: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}

/** Print one JSON line (machine mode) or a human line. */
export function emit(json: boolean, obj: Record<string, unknown>, human: string): void {
  console.log(json ? JSON.stringify(obj) : human);
}
