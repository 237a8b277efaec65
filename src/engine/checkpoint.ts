/**
 * The checkpoint file: one binary blob that carries everything a model needs.
 *
 *   bytes 0..3   "HEED"
 *   bytes 4..7   format version, uint32 little-endian
 *   bytes 8..11  header length H, uint32 little-endian (at most 1 MiB)
 *   12..12+H     UTF-8 JSON header: config, tokenizer, stage, step, metrics, tensors
 *   then zero padding to a multiple of 4, then float32 little-endian weights in
 *   the header's tensor order.
 *
 * Reading validates everything before building anything, so a truncated,
 * foreign or inconsistent file gives one clear error and never a half-loaded
 * model.
 */
import { type GPTConfig, validateConfig, weightShapes } from './config.ts';
import { GPT } from './model.ts';
import { CharTokenizer, type TokenizerJSON } from './tokenizer.ts';

export const MAGIC = 'HEED';
export const VERSION = 1;
export const MAX_HEADER_BYTES = 1 << 20;

export interface CheckpointMeta {
  stage: string; // 'init' | 'pretrain' | 'sft' | ...
  step: number;
  metrics: Record<string, number>;
  seed?: number;
  preset?: string;
  note?: string;
}

export interface CheckpointHeader extends CheckpointMeta {
  config: GPTConfig;
  tokenizer: TokenizerJSON;
  tensors: { name: string; shape: number[] }[];
}

/** One line of models/manifest.json: a shipped checkpoint and how it was made. */
export interface ManifestEntry {
  name: string;
  file: string;
  stage: string;
  preset: string;
  steps: number;
  seed: number;
  command: string;
  seconds: number;
  machine: string;
}

export interface LoadedCheckpoint {
  header: CheckpointHeader;
  tokenizer: CharTokenizer;
  arrays: Map<string, Float32Array>;
}

const fail = (what: string): never => {
  throw new Error(`checkpoint: ${what}`);
};

/** Serialise a model, its tokenizer and metadata to one file. */
export async function saveCheckpoint(model: GPT, tokenizer: CharTokenizer, meta: CheckpointMeta): Promise<Uint8Array> {
  return writeCheckpoint(model.config, tokenizer, meta, await weightArrays(model));
}

/** Every weight of a model as plain arrays, by name (read back with await data(), never dataSync). */
export async function weightArrays(model: GPT): Promise<Map<string, Float32Array>> {
  const arrays = new Map<string, Float32Array>();
  for (const [name] of weightShapes(model.config)) arrays.set(name, (await model.weights.get(name)!.data()) as Float32Array);
  return arrays;
}

/** The checkpoint file for weights already in plain arrays (no TF.js needed: imports write it directly). */
export function writeCheckpoint(config: GPTConfig, tokenizer: CharTokenizer, meta: CheckpointMeta, arrays: Map<string, Float32Array>): Uint8Array {
  const shapes = weightShapes(config);
  const header: CheckpointHeader = {
    ...meta,
    config,
    tokenizer: tokenizer.toJSON(),
    tensors: shapes.map(([name, shape]) => ({ name, shape })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((12 + json.length) / 4) * 4;
  const floats = shapes.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  const out = new Uint8Array(start + floats * 4);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  let offset = start;
  for (const [name, shape] of shapes) {
    const data = arrays.get(name);
    const n = shape.reduce((a, b) => a * b, 1);
    if (!data || data.length !== n) throw new Error(`checkpoint: weight ${name} needs ${n} values, got ${data?.length ?? 'none'}`);
    for (let i = 0; i < n; i++, offset += 4) view.setFloat32(offset, data[i], true);
  }
  return out;
}

/** Parse and validate a checkpoint file; throws a clear error on anything wrong. */
export function readCheckpoint(bytes: Uint8Array): LoadedCheckpoint {
  if (!(bytes instanceof Uint8Array)) fail('expected binary data');
  if (bytes.length < 12) fail(`file is ${bytes.length} bytes, too short to be a Heed checkpoint`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== MAGIC) fail(`not a Heed checkpoint (starts with ${JSON.stringify(magic)}, expected "HEED")`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== VERSION) fail(`format version ${version} is not supported (this Heed reads version ${VERSION})`);
  const hlen = view.getUint32(8, true);
  if (hlen > MAX_HEADER_BYTES) fail(`header of ${hlen} bytes exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (12 + hlen > bytes.length) fail(`file is truncated inside its header (${bytes.length} bytes, header needs ${12 + hlen})`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + hlen)));
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object') fail('header is not an object');
  const config = validateConfig(header.config);
  const tokenizer = CharTokenizer.fromJSON(header.tokenizer);
  if (tokenizer.vocabSize !== config.vocabSize) {
    fail(`tokenizer has ${tokenizer.vocabSize} tokens but the model expects ${config.vocabSize}`);
  }
  if (typeof header.stage !== 'string' || !Number.isInteger(header.step) || header.step < 0) fail('header needs a stage and a step');
  const expected = weightShapes(config);
  const listed = Array.isArray(header.tensors) ? header.tensors : fail('header has no tensor list');
  if (listed.length !== expected.length) fail(`header lists ${listed.length} tensors, the config needs ${expected.length}`);
  expected.forEach(([name, shape], i) => {
    const t = listed[i];
    if (!t || t.name !== name || !Array.isArray(t.shape) || t.shape.join() !== shape.join()) {
      fail(`tensor ${i} is ${JSON.stringify(t?.name)} [${t?.shape}], expected ${name} [${shape}]`);
    }
  });
  const start = Math.ceil((12 + hlen) / 4) * 4;
  const floats = expected.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  if (bytes.length !== start + floats * 4) {
    fail(`weights are ${bytes.length - start} bytes, expected ${floats * 4} (${bytes.length < start + floats * 4 ? 'truncated' : 'trailing data'})`);
  }
  const arrays = new Map<string, Float32Array>();
  let offset = start;
  for (const [name, shape] of expected) {
    const n = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++, offset += 4) {
      const v = view.getFloat32(offset, true);
      if (!Number.isFinite(v)) fail(`weight ${name} holds a non-finite value (${v}) at index ${i}`);
      a[i] = v;
    }
    arrays.set(name, a);
  }
  header.metrics ??= {};
  return { header, tokenizer, arrays };
}

/** Read a checkpoint and build its model (only after the whole file checked out). */
export function loadCheckpoint(bytes: Uint8Array): { model: GPT; tokenizer: CharTokenizer; header: CheckpointHeader } {
  const { header, tokenizer, arrays } = readCheckpoint(bytes);
  return { model: GPT.fromArrays(header.config, arrays), tokenizer, header };
}
