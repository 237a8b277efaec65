/**
 * The safetensors file format (Hugging Face's weights file), read and written
 * in plain TypeScript so the worker and Node share it:
 *
 *   bytes 0..7   header length N, unsigned 64-bit little-endian
 *   8..8+N       UTF-8 JSON: { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": {string: string} }
 *   then         the byte buffer; offsets are relative to its start, little-endian data
 *
 * Design choices:
 * - Reading validates the whole header before any tensor is touched: offsets
 *   must tile the buffer exactly (no overlap, no hole, nothing past the end)
 *   and each tensor's byte length must match its shape and dtype. A bad file
 *   gets one message naming the file, the tensor and what does not fit.
 * - Heed writes float32 only and pads the header with spaces to a multiple of
 *   8 bytes, as Hugging Face's writer does, so every tensor is aligned for
 *   zero-copy readers (torch.frombuffer, numpy).
 */

/** Bytes per element of every dtype the format names. */
export const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8,
};

/** The reference implementation's limit: a larger header is refused before it is parsed. */
const MAX_HEADER_BYTES = 100_000_000;

export interface TensorEntry {
  dtype: string;
  shape: number[];
  bytes: Uint8Array; // a view into the file's buffer
}

export interface Safetensors {
  tensors: Map<string, TensorEntry>;
  metadata: Record<string, string>;
}

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Serialise float32 tensors (in the given order) with string metadata. */
export function writeSafetensors(tensors: NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    if (t.data.length !== product(t.shape)) throw new Error(`safetensors: ${t.name} holds ${t.data.length} values, its shape [${t.shape}] needs ${product(t.shape)}`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  const raw = new TextEncoder().encode(JSON.stringify(header));
  const n = Math.ceil(raw.length / 8) * 8;
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true); // the high 32 bits stay 0
  out.set(raw, 8);
  out.fill(0x20, 8 + raw.length, 8 + n);
  let at = 8 + n;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i], true);
  }
  return out;
}

/** Parse and validate a safetensors file; `file` names it in every error. */
export function readSafetensors(bytes: Uint8Array, file = 'model.safetensors'): Safetensors {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  if (bytes.length < 8) fail(`${bytes.length} bytes is too short for a safetensors file (it starts with an 8-byte header length)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const high = view.getUint32(4, true);
  const n = view.getUint32(0, true);
  if (high !== 0 || n > MAX_HEADER_BYTES) fail(`header length ${high ? `${high} * 2^32 + ${n}` : n} bytes is over the ${MAX_HEADER_BYTES}-byte limit: not a safetensors file, or a damaged one`);
  if (n < 2) fail(`header length ${n} bytes is too short to hold a JSON object`);
  if (8 + n > bytes.length) fail(`header length ${n} bytes runs past the end of the file (${bytes.length} bytes): truncated, or not a safetensors file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) fail('header is not a JSON object');
  const metadata = validMetadata(header.__metadata__, fail);
  const buffer = bytes.subarray(8 + n);
  const spans: [number, number, string][] = [];
  const tensors = new Map<string, TensorEntry>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (!e || typeof e !== 'object') fail(`tensor ${name} is not an object`);
    const { dtype, shape, data_offsets: offsets } = e!;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) fail(`tensor ${name} has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor ${name} has shape ${JSON.stringify(shape)}, expected a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      fail(`tensor ${name} has data_offsets ${JSON.stringify(offsets)}, expected [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > buffer.length) fail(`tensor ${name} ends at byte ${end}, past the end of the data (${buffer.length} bytes): the file is truncated`);
    const need = product(shape as number[]) * DTYPE_BYTES[dtype as string];
    if (end - begin !== need) fail(`tensor ${name} spans ${end - begin} bytes, but ${dtype} [${shape}] needs ${need}`);
    spans.push([begin, end, name]);
    tensors.set(name, { dtype: dtype as string, shape: shape as number[], bytes: buffer.subarray(begin, end) });
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let covered = 0;
  for (const [begin, end, name] of spans) {
    if (begin < covered) fail(`tensor ${name} (bytes ${begin}..${end}) overlaps the tensor before it (which ends at byte ${covered})`);
    if (begin > covered) fail(`bytes ${covered}..${begin} of the data belong to no tensor (a hole before ${name})`);
    covered = end;
  }
  if (covered !== buffer.length) fail(`${buffer.length - covered} bytes after the last tensor belong to no tensor`);
  return { tensors, metadata };
}

function validMetadata(m: unknown, fail: (what: string) => never): Record<string, string> {
  if (m === undefined) return {};
  if (!m || typeof m !== 'object' || Array.isArray(m)) fail('__metadata__ is not an object');
  for (const [k, v] of Object.entries(m as object)) if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`);
  return m as Record<string, string>;
}

/** A float32 tensor's values; any other dtype is refused by name. */
export function float32Values(name: string, e: TensorEntry, file = 'model.safetensors'): Float32Array {
  if (e.dtype !== 'F32') throw new Error(`${file}: tensor ${name} is ${e.dtype}; Heed reads float32 (F32) weights only (in PyTorch: model.float() before saving)`);
  const view = new DataView(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength);
  const out = new Float32Array(e.bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
