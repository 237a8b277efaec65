/** Checkpoints round-trip exactly; every kind of bad file gets a clear error and builds nothing. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { loadCheckpoint, packCheckpoint, readCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { weightShapes } from '../../src/engine/config.ts';
import { generate } from '../../src/engine/generate.ts';
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

/** The header and weights of a good file, to re-pack into consistent files with odd contents. */
function parts(bytes: Uint8Array) {
  const { header, arrays } = readCheckpoint(bytes);
  const weights = new Float32Array([...arrays.values()].flatMap((a) => [...a]));
  return { header: JSON.parse(JSON.stringify(header)) as Record<string, unknown>, weights };
}

/** Rewrite the header (keeping the weights, with a checksum that matches) to make inconsistent files. */
function withHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const { header, weights } = parts(bytes);
  edit(header);
  return packCheckpoint(header, weights);
}

/** Where weight `name` starts, as a float index into the weights. */
const floatIndex = (name: string) => {
  const shapes = weightShapes(config);
  const i = shapes.findIndex(([n]) => n === name);
  return shapes.slice(0, i).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
};

test('save then load gives the same logits, tokenizer and metadata', async () => {
  expect(new DataView(good.buffer).getUint32(4, true)).toBe(2);
  const { model: loaded, tokenizer: tk, header } = await loadCheckpoint(good);
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
  ['header not JSON', () => { const b = good.slice(); b[16] = 0x7b; b[17] = 0x7b; return b; }, /not valid JSON/],
  ['NaN weight', () => { const { header, weights } = parts(good); weights[weights.length - 1] = NaN; return packCheckpoint(header, weights); }, /non-finite/],
  ['flipped weight bit', () => { const b = good.slice(); b[b.length - 7] ^= 0x10; return b; }, /damaged: its checksum does not match/],
  ['flipped header bit', () => { const b = good.slice(); b[30] ^= 0x01; return b; }, /damaged/],
  ['nHead edited, shapes unchanged', () => {
    const b = good.slice();
    const at = new TextDecoder().decode(b).indexOf('"nHead":2');
    b[at + 8] = '1'.charCodeAt(0);
    return b;
  }, /damaged/],
  ['wrong shapes', () => withHeader(good, (h) => { (h.tensors as { shape: number[] }[])[0].shape = [3, 3]; }), /expected wte/],
  ['tokenizer mismatch', () => withHeader(good, (h) => { (h.tokenizer as { chars: string[] }).chars.pop(); }), /tokenizer has/],
  ['bad config', () => withHeader(good, (h) => { (h.config as { nHead: number }).nHead = 3; }), /divisible/],
])('%s is refused with a clear message', async (_, make, message) => {
  const before = tf.memory().numTensors;
  await expect(loadCheckpoint(make())).rejects.toThrow(message);
  expect(tf.memory().numTensors).toBe(before); // nothing half-built
});

test('readCheckpoint exposes the header for a manifest or a UI', () => {
  const { header } = readCheckpoint(good);
  expect(header.config).toEqual(config);
  expect(header.tensors[0]).toEqual({ name: 'wte', shape: [config.vocabSize, 8] });
});

test('a version 1 file (no checksum) still loads, with the same logits', async () => {
  const { header, weights } = parts(good);
  const v1 = packCheckpoint(header, weights, 1);
  expect(new DataView(v1.buffer).getUint32(4, true)).toBe(1);
  const { model: loaded } = await loadCheckpoint(v1);
  const x = tf.tensor2d([[5, 1, 0, 7]], [1, 4], 'int32');
  expect(await values(loaded.forward(x).logits)).toEqual(await values(model.forward(x).logits));
  loaded.dispose();
});

test('a huge but finite weight (one flipped exponent bit) is refused after the test forward pass, leaving no tensors', async () => {
  const { header, weights } = parts(good);
  weights[floatIndex('h.0.ln_1.weight') + 3] = 3e38;
  const before = tf.memory().numTensors;
  for (const version of [1, 2] as const) {
    await expect(loadCheckpoint(packCheckpoint(header, weights, version))).rejects.toThrow(/non-finite outputs.*not loaded/);
  }
  expect(tf.memory().numTensors).toBe(before);
});

test('generate throws on non-finite logits instead of emitting tokens', async () => {
  const { header, weights } = parts(good);
  weights[floatIndex('h.0.ln_1.weight')] = 3e38;
  const { arrays } = readCheckpoint(packCheckpoint(header, weights));
  const broken = GPT.fromArrays(config, arrays);
  const emitted: number[] = [];
  await expect(generate(broken, [1, 2], { maxNewTokens: 5, temperature: 0 }, (e) => void emitted.push(e.id))).rejects.toThrow(/not finite/);
  expect(emitted).toEqual([]);
  broken.dispose();
});
