/**
 * The checkpoint file: one binary blob that carries everything a model needs.
 *
 *   bytes 0..3    "HEED"
 *   bytes 4..7    format version, uint32 little-endian (2; version 1 still loads)
 *   bytes 8..11   header length H, uint32 little-endian (at most 1 MiB)
 *   bytes 12..15  CRC-32 of every other byte of the file (version 2 only)
 *   16..16+H      UTF-8 JSON header: config, tokenizer, stage, step, metrics, tensors
 *   then zero padding to a multiple of 4, then float32 little-endian weights in
 *   the header's tensor order. (Version 1 has no checksum: its header starts at 12.)
 *
 * Reading validates everything before building anything, so a truncated,
 * foreign or inconsistent file gives one clear error and never a half-loaded
 * model. The checksum catches what validation cannot see: a flipped bit in
 * a weight, or a header edited into another consistent model (nHead 4 -> 2
 * has the same shapes). Loading then runs the model once over a whole block
 * and refuses it if any logit is not finite: a version 1 file has no
 * checksum, and a finite but huge weight (3e38) passes every other check.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type GPTConfig, validateConfig, weightShapes } from './config.ts';
import { crc32 } from './crc32.ts';
import { GPT } from './model.ts';
import { CharTokenizer, type TokenizerJSON } from './tokenizer.ts';

export const MAGIC = 'HEED';
export const VERSION = 2;
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
  /** The commit of this repository whose code made it: the generated data and corpus change with the code. */
  commit: string;
}

export interface LoadedCheckpoint {
  header: CheckpointHeader;
  tokenizer: CharTokenizer;
  arrays: Map<string, Float32Array>;
}

const fail = (what: string): never => {
  throw new Error(`checkpoint: ${what}`);
};

/** Where the JSON header starts in each format version. */
const headerOffset = (version: number) => (version === 1 ? 12 : 16);

/** The checksum a version 2 file should carry: every byte but the checksum field itself. */
const fileCrc = (bytes: Uint8Array) => crc32(bytes.subarray(0, 12), bytes.subarray(16));

/**
 * Lay out a file from a header and its float32 weights (already in order).
 * saveCheckpoint uses it; tests use it to write consistent files with odd
 * contents, and version 1 files.
 */
export function packCheckpoint(header: object, weights: Float32Array, version: 1 | 2 = VERSION): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const offset = headerOffset(version);
  const start = Math.ceil((offset + json.length) / 4) * 4;
  const out = new Uint8Array(start + weights.length * 4);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, version, true);
  view.setUint32(8, json.length, true);
  out.set(json, offset);
  for (let i = 0; i < weights.length; i++) view.setFloat32(start + 4 * i, weights[i], true);
  if (version === 2) view.setUint32(12, fileCrc(out), true);
  return out;
}

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
  const floats = new Float32Array(countFloats(shapes));
  let offset = 0;
  for (const [name, shape] of shapes) {
    const data = arrays.get(name);
    const n = shape.reduce((a, b) => a * b, 1);
    if (!data || data.length !== n) fail(`weight ${name} needs ${n} values, got ${data?.length ?? 'none'}`);
    floats.set(data!, offset);
    offset += n;
  }
  return packCheckpoint(header, floats);
}

const countFloats = (shapes: [string, number[]][]) => shapes.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);

/** Parse and validate a checkpoint file; throws a clear error on anything wrong. */
export function readCheckpoint(bytes: Uint8Array): LoadedCheckpoint {
  if (!(bytes instanceof Uint8Array)) fail('expected binary data');
  if (bytes.length < 12) fail(`file is ${bytes.length} bytes, too short to be a Heed checkpoint`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== MAGIC) fail(`not a Heed checkpoint (starts with ${JSON.stringify(magic)}, expected "HEED")`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== 1 && version !== VERSION) fail(`format version ${version} is not supported (this Heed reads versions 1 and ${VERSION})`);
  const offset = headerOffset(version);
  const hlen = view.getUint32(8, true);
  if (hlen > MAX_HEADER_BYTES) fail(`header of ${hlen} bytes exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (offset + hlen > bytes.length) fail(`file is truncated inside its header (${bytes.length} bytes, header needs ${offset + hlen})`);
  const damaged = version === 2 && view.getUint32(12, true) !== fileCrc(bytes);
  let checked: { header: CheckpointHeader; tokenizer: CharTokenizer; expected: [string, number[]][]; start: number };
  try {
    checked = checkLayout(bytes, offset, hlen);
  } catch (e) {
    // A damaged file often fails a structural check first; say it is damaged, and what broke.
    if (damaged) fail(`the file is damaged: its checksum does not match (${(e as Error).message.replace(/^checkpoint: /, '')})`);
    throw e;
  }
  if (damaged) fail('the file is damaged: its checksum does not match its contents (a changed byte in the header or the weights)');
  const { header, tokenizer, expected, start } = checked;
  const arrays = new Map<string, Float32Array>();
  let at = start;
  for (const [name, shape] of expected) {
    const n = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++, at += 4) {
      const v = view.getFloat32(at, true);
      if (!Number.isFinite(v)) fail(`weight ${name} holds a non-finite value (${v}) at index ${i}`);
      a[i] = v;
    }
    arrays.set(name, a);
  }
  header.metrics ??= {};
  return { header, tokenizer, arrays };
}

/** The header parsed and checked against the config, and the file's length against the header. */
function checkLayout(bytes: Uint8Array, offset: number, hlen: number) {
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(offset, offset + hlen)));
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) fail('header is not an object');
  const config = validateConfig(header.config);
  const tokenizer = CharTokenizer.fromJSON(header.tokenizer);
  if (tokenizer.vocabSize !== config.vocabSize) {
    fail(`tokenizer has ${tokenizer.vocabSize} tokens but the model expects ${config.vocabSize}`);
  }
  if (typeof header.stage !== 'string' || !Number.isInteger(header.step) || header.step < 0) fail('header needs a stage and a step');
  if (header.metrics !== undefined && (typeof header.metrics !== 'object' || header.metrics === null)) fail('header metrics must be an object');
  const expected = weightShapes(config);
  const listed = Array.isArray(header.tensors) ? header.tensors : fail('header has no tensor list');
  if (listed.length !== expected.length) fail(`header lists ${listed.length} tensors, the config needs ${expected.length}`);
  expected.forEach(([name, shape], i) => {
    const t = listed[i];
    if (!t || t.name !== name || !Array.isArray(t.shape) || t.shape.join() !== shape.join()) {
      fail(`tensor ${i} is ${String(JSON.stringify(t?.name)).slice(0, 60)} [${String(t?.shape).slice(0, 40)}], expected ${name} [${shape}]`);
    }
  });
  const start = Math.ceil((offset + hlen) / 4) * 4;
  const floats = countFloats(expected);
  if (bytes.length !== start + floats * 4) {
    fail(`weights are ${bytes.length - start} bytes, expected ${floats * 4} (${bytes.length < start + floats * 4 ? 'truncated' : 'trailing data'})`);
  }
  return { header, tokenizer, expected, start };
}

/**
 * Run the model once over a whole block (every position, and through the
 * tied LM head every token's embedding) and check that every logit is finite.
 */
export async function checkFiniteLogits(model: GPT): Promise<void> {
  const { vocabSize, blockSize } = model.config;
  const ids = Array.from({ length: blockSize }, (_, i) => (i * 31 + 7) % vocabSize);
  const bad = tf.tidy(() => {
    const { logits } = model.forward(tf.tensor2d([ids], [1, blockSize], 'int32'));
    return tf.logicalNot(tf.all(tf.isFinite(logits)));
  });
  const notFinite = (await bad.data())[0] === 1;
  bad.dispose();
  if (notFinite) fail('the model gives non-finite outputs (NaN or infinity) on a test input: its weights are damaged or out of range, so it was not loaded');
}

/**
 * Build a read checkpoint's model and run it once: a model whose logits are
 * not finite is disposed and refused.
 */
export async function buildModel({ header, arrays }: LoadedCheckpoint): Promise<GPT> {
  const model = GPT.fromArrays(header.config, arrays);
  try {
    await checkFiniteLogits(model);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** Read a checkpoint and build its model (only after the whole file checked out): `readCheckpoint`, then `buildModel`. */
export async function loadCheckpoint(bytes: Uint8Array): Promise<{ model: GPT; tokenizer: CharTokenizer; header: CheckpointHeader }> {
  const read = readCheckpoint(bytes);
  return { model: await buildModel(read), tokenizer: read.tokenizer, header: read.header };
}
