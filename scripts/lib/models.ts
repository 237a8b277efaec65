/**
 * Find a model for the CLI: a shipped model's name (models/manifest.json) or
 * a checkpoint path.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ManifestEntry, loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { UsageError } from './args.ts';

/** The project root: set by scripts/run.mjs (the bundle lives elsewhere), else the working directory. */
export const ROOT = process.env.HEED_ROOT ?? process.cwd();
export const MODELS_DIR = join(ROOT, 'models');


export function readManifest(): ManifestEntry[] {
  const p = join(MODELS_DIR, 'manifest.json');
  if (!existsSync(p)) return [];
  const m = JSON.parse(readFileSync(p, 'utf8'));
  return Array.isArray(m.models) ? m.models : [];
}

/** Bytes of a checkpoint given a shipped model name or a file path. */
export function readModelBytes(nameOrPath: string): { bytes: Uint8Array; path: string } {
  const entry = readManifest().find((e) => e.name === nameOrPath);
  const path = entry ? join(MODELS_DIR, entry.file) : resolve(nameOrPath);
  if (!existsSync(path)) {
    const names = readManifest().map((e) => e.name);
    throw new UsageError(
      `no model "${nameOrPath}": not a file${names.length ? ` and not a shipped model (${names.join(', ')})` : ''}`,
    );
  }
  if (statSync(path).isDirectory()) throw new UsageError(`no model "${nameOrPath}": "${path}" is a folder, not a checkpoint file`);
  return { bytes: new Uint8Array(readFileSync(path)), path };
}

/** Build a model from readModelBytes' result; a refused file is named in the error. */
export async function loadModel(file: { bytes: Uint8Array; path: string }): ReturnType<typeof loadCheckpoint> {
  try {
    return await loadCheckpoint(file.bytes);
  } catch (e) {
    throw new Error(`${file.path}: ${(e as Error).message}`);
  }
}

/** The commit the code was at, "+changes" when src/ or scripts/ differ from it (then commit first to be reproducible). */
function codeCommit(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execSync('git status --porcelain -- src scripts', { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/**
 * `--ship NAME`: the checkpoint goes to models/NAME.heed and models/manifest.json
 * records how it was made (the command, seed, seconds and machine), replacing
 * any entry of that name.
 */
export function shipModel(entry: Omit<ManifestEntry, 'file' | 'commit'>): string {
  const file = `${entry.name}.heed`;
  const models = readManifest().filter((e) => e.name !== entry.name);
  models.push({ ...entry, file, commit: codeCommit() });
  writeFileSync(join(MODELS_DIR, 'manifest.json'), JSON.stringify({ models }, null, 2) + '\n');
  return join(MODELS_DIR, file);
}

export const shippedPath = (name: string) => join(MODELS_DIR, `${name}.heed`);
