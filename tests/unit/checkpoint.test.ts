/** Checkpoints round-trip exactly; every kind of bad file gets a clear error and builds nothing. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { loadCheckpoint, readCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { GPT } from '../../src/engine/model.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { useBackend, values } from './helpers.ts';

const tokenizer = CharTokenizer.fromText('abcdefgh ');
const config = { vocabSize: tokenizer.vocabSize, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 };
let good: Uint8Array;
let model: GPT;

beforeAll(async () => {
  await useBackend('cpu');
  model = GPT.create(config, 4);
  good = await saveCheckpoint(model, tokenizer, { stage: 'pretrain', step: 12, metrics: { valLoss: 1.5 }, seed: 4 });
});

const headerOf = (bytes: Uint8Array) => {
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  return { len, json: JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) };
};

/** Rewrite the header (keeping the weights) to make inconsistent files. */
function withHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const { len, json } = headerOf(bytes);
  edit(json);
  const body = bytes.subarray(Math.ceil((12 + len) / 4) * 4);
  const enc = new TextEncoder().encode(JSON.stringify(json));
  const start = Math.ceil((12 + enc.length) / 4) * 4;
  const out = new Uint8Array(start + body.length);
  out.set(bytes.subarray(0, 8));
  new DataView(out.buffer).setUint32(8, enc.length, true);
  out.set(enc, 12);
  out.set(body, start);
  return out;
}

test('save then load gives the same logits, tokenizer and metadata', async () => {
  const { model: loaded, tokenizer: tk, header } = loadCheckpoint(good);
  const x = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
  expect(await values(loaded.forward(x).logits)).toEqual(await values(model.forward(x).logits));
  expect(tk.encode('abc')).toEqual(tokenizer.encode('abc'));
  expect(header).toMatchObject({ stage: 'pretrain', step: 12, metrics: { valLoss: 1.5 }, seed: 4 });
  loaded.dispose();
});

test.each([
  ['empty file', () => new Uint8Array(0), /too short/],
  ['foreign file', () => new TextEncoder().encode('PK\u0003\u0004 this is a zip file really'), /not a Heed checkpoint/],
  ['truncated weights', () => good.subarray(0, good.length - 10), /truncated/],
  ['trailing data', () => new Uint8Array([...good, 1, 2, 3, 4]), /trailing data/],
  ['truncated header', () => good.subarray(0, 40), /truncated inside its header/],
  ['future version', () => { const b = good.slice(); new DataView(b.buffer).setUint32(4, 99, true); return b; }, /version 99/],
  ['huge header length', () => { const b = good.slice(); new DataView(b.buffer).setUint32(8, 0xfffffff0, true); return b; }, /exceeds/],
  ['header not JSON', () => { const b = good.slice(); b[12] = 0x7b; b[13] = 0x7b; return b; }, /not valid JSON/],
  ['NaN weight', () => { const b = good.slice(); new DataView(b.buffer).setFloat32(b.length - 4, NaN, true); return b; }, /non-finite/],
  ['wrong shapes', () => withHeader(good, (h) => { (h.tensors as { shape: number[] }[])[0].shape = [3, 3]; }), /expected wte/],
  ['tokenizer mismatch', () => withHeader(good, (h) => { (h.tokenizer as { chars: string[] }).chars.pop(); }), /tokenizer has/],
  ['bad config', () => withHeader(good, (h) => { (h.config as { nHead: number }).nHead = 3; }), /divisible/],
])('%s is refused with a clear message', (_, make, message) => {
  const before = tf.memory().numTensors;
  expect(() => loadCheckpoint(make())).toThrow(message);
  expect(tf.memory().numTensors).toBe(before); // nothing half-built
});

test('readCheckpoint exposes the header for a manifest or a UI', () => {
  const { header } = readCheckpoint(good);
  expect(header.config).toEqual(config);
  expect(header.tensors[0]).toEqual({ name: 'wte', shape: [config.vocabSize, 8] });
});
