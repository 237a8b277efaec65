/**
 * A minimal zip archive: files stored without compression, as one download.
 *
 * Design choices:
 * - Stored (method 0) only: the weights are float32 noise to a compressor
 *   (deflate saves a few percent) and a stored archive needs no inflate code.
 *   Every unzip tool, Python's zipfile and the operating systems read it.
 * - The reader takes back what the writer makes (so the page can load its own
 *   export) and refuses compressed entries with a message saying what to do.
 * - Timestamps are fixed (1980-01-01): the same model gives the same bytes.
 */
import { crc32 } from './crc32.ts';

const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const UTF8_FLAG = 0x0800;

/** One zip archive holding `files` (name -> bytes) in order, stored. */
export function writeZip(files: [string, Uint8Array][]): Uint8Array {
  const enc = new TextEncoder();
  const entries = files.map(([name, data]) => ({ name: enc.encode(name), data, crc: crc32(data), offset: 0 }));
  const localSize = entries.reduce((n, e) => n + 30 + e.name.length + e.data.length, 0);
  const centralSize = entries.reduce((n, e) => n + 46 + e.name.length, 0);
  if (localSize + centralSize > 0xffffffff || entries.length > 0xffff) throw new Error('zip: archive over 4 GiB or 65,535 files (zip64 is not written)');
  const out = new Uint8Array(localSize + centralSize + 22);
  const v = new DataView(out.buffer);
  let at = 0;
  const u16 = (x: number) => (v.setUint16(at, x, true), (at += 2));
  const u32 = (x: number) => (v.setUint32(at, x, true), (at += 4));
  const common = (e: (typeof entries)[number]) => {
    u16(20), u16(UTF8_FLAG), u16(0), u16(0), u16(DOS_DATE); // version, flags, stored, time, date
    u32(e.crc), u32(e.data.length), u32(e.data.length), u16(e.name.length), u16(0);
  };
  for (const e of entries) {
    e.offset = at;
    u32(0x04034b50), common(e);
    out.set(e.name, at), (at += e.name.length);
    out.set(e.data, at), (at += e.data.length);
  }
  const central = at;
  for (const e of entries) {
    u32(0x02014b50), u16(20), common(e);
    u16(0), u16(0), u16(0), u32(0), u32(e.offset); // comment, disk, internal and external attributes, offset
    out.set(e.name, at), (at += e.name.length);
  }
  const centralBytes = at - central;
  u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length);
  u32(centralBytes), u32(central), u16(0);
  return out;
}

/** True when the bytes start like a zip archive. */
export const isZip = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;

/** The files of a stored zip archive (name -> bytes), each checked against its CRC. */
export function readZip(bytes: Uint8Array, file = 'archive.zip'): Map<string, Uint8Array> {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) fail('not a zip archive (no end-of-archive record), or a truncated one');
  const count = v.getUint16(end + 10, true);
  let at = v.getUint32(end + 16, true);
  const files = new Map<string, Uint8Array>();
  const dec = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || v.getUint32(at, true) !== 0x02014b50) fail(`entry ${i} of the archive's directory is damaged`);
    const method = v.getUint16(at + 10, true);
    const crc = v.getUint32(at + 16, true);
    const size = v.getUint32(at + 20, true);
    const nameLen = v.getUint16(at + 28, true);
    const skip = nameLen + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
    const local = v.getUint32(at + 42, true);
    const name = dec.decode(bytes.subarray(at + 46, at + 46 + nameLen));
    if (method !== 0) fail(`${name} is compressed (method ${method}); Heed reads the stored archives it writes: unzip it and import the folder`);
    if (local + 30 > bytes.length || v.getUint32(local, true) !== 0x04034b50) fail(`${name}: its local header is damaged`);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    if (start + size > bytes.length) fail(`${name} runs past the end of the archive: truncated`);
    const data = bytes.subarray(start, start + size);
    if (crc32(data) !== crc) fail(`${name} fails its CRC check: the archive is damaged`);
    if (!name.endsWith('/')) files.set(name.split('/').pop()!, data);
    at += 46 + skip;
  }
  return files;
}
