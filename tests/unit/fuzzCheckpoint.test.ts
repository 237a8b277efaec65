/**
 * Fuzzing the checkpoint reader with fixed seeds: truncations, bit flips in
 * the header and the weights, huge sizes, NaN/Inf/huge weights and wrong
 * configs, in format versions 1 and 2. Every mutant must be refused with a
 * clear message and leave no tensor behind, or load into a model whose
 * logits are finite and that generates; a damaged version 2 file is always
 * refused (its checksum). The counts go in the README's "Reliability" section.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { loadCheckpoint, packCheckpoint, readCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { generate } from '../../src/engine/generate.ts';
import { GPT } from '../../src/engine/model.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { Rng, type Tally, flipBit, newTally, outcome, randomValue } from './fuzz.ts';
import { useBackend } from './helpers.ts';

const CLEAR = /^(checkpoint|config|tokenizer): \S/;
const tokenizer = CharTokenizer.fromText('abcdefgh ');
const config = { vocabSize: tokenizer.vocabSize, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 };
let v2: Uint8Array;
let v1: Uint8Array;
let header: Record<string, unknown>;
let weights: Float32Array;
const tallies: Record<string, Tally> = {};

beforeAll(async () => {
  await useBackend('cpu');
  const model = GPT.create(config, 3);
  v2 = await saveCheckpoint(model, tokenizer, { stage: 'pretrain', step: 5, metrics: { valLoss: 1.5 }, seed: 3 });
  model.dispose();
  const read = readCheckpoint(v2);
  header = JSON.parse(JSON.stringify(read.header));
  weights = new Float32Array([...read.arrays.values()].flatMap((a) => [...a]));
  v1 = packCheckpoint(header, weights, 1);
});

/** Where the weights start in a file of this version. */
const weightsStart = (bytes: Uint8Array, version: 1 | 2) =>
  Math.ceil(((version === 1 ? 12 : 16) + new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true)) / 4) * 4;

/** Load a mutant; accepted only as a model with finite logits (checked by the loader) that generates valid ids. */
async function tryLoad(tally: Tally, name: string, bytes: Uint8Array): Promise<'refused' | 'accepted'> {
  const before = tf.memory().numTensors;
  const result = await outcome(tally, name, CLEAR, () => loadCheckpoint(bytes), async ({ model, tokenizer: tk }) => {
    const r = await generate(model, [1, 2, 3], { maxNewTokens: 4, temperature: 0 });
    expect(r.ids.every((id) => Number.isInteger(id) && id >= 0 && id < tk.vocabSize), name).toBe(true);
    model.dispose();
  });
  expect(tf.memory().numTensors, `${name}: tensors left behind`).toBe(before);
  return result;
}

/** The same header and weights, re-packed as a consistent version 2 file (a checksum that matches). */
function repack(edit: (h: Record<string, unknown>, w: Float32Array) => void): Uint8Array {
  const h = JSON.parse(JSON.stringify(header));
  const w = weights.slice();
  edit(h, w);
  return packCheckpoint(h, w);
}

test('every byte-level mutant of a version 2 file is refused: truncations, bit flips, trailing data, huge header lengths', async () => {
  const rng = new Rng(2026);
  const t = (tallies.v2Bytes = newTally());
  const start = weightsStart(v2, 2);
  const mutants: [string, Uint8Array][] = [];
  for (let i = 0; i < 40; i++) mutants.push([`truncate ${i}`, v2.subarray(0, i < 16 ? i : rng.int(v2.length))]);
  for (let i = 0; i < 60; i++) mutants.push([`header bit ${i}`, flipBit(v2, rng, 0, start)]);
  for (let i = 0; i < 80; i++) mutants.push([`weight bit ${i}`, flipBit(v2, rng, start, v2.length)]);
  for (let i = 0; i < 10; i++) mutants.push([`trailing ${i}`, new Uint8Array([...v2, ...Array.from({ length: 1 + rng.int(100) }, () => rng.int(256))])]);
  for (let i = 0; i < 10; i++) {
    const b = v2.slice();
    new DataView(b.buffer).setUint32(8, i === 0 ? 0xffffffff : 1 + rng.int(2 ** 31), true);
    mutants.push([`header length ${i}`, b]);
  }
  for (const [name, bytes] of mutants) expect(await tryLoad(t, name, bytes), name).toBe('refused');
  expect(t.tried).toBe(200);
});

test('version 1 mutants (no checksum) are refused or load into a working model', async () => {
  const rng = new Rng(11);
  const t = (tallies.v1Bytes = newTally());
  const start = weightsStart(v1, 1);
  for (let i = 0; i < 30; i++) await tryLoad(t, `v1 header bit ${i}`, flipBit(v1, rng, 0, start));
  for (let i = 0; i < 40; i++) await tryLoad(t, `v1 weight bit ${i}`, flipBit(v1, rng, start, v1.length));
  for (let i = 0; i < 10; i++) expect(await tryLoad(t, `v1 truncate ${i}`, v1.subarray(0, rng.int(v1.length)))).toBe('refused');
  expect(t.tried).toBe(80);
  expect(t.refused).toBeGreaterThan(10);
});

test('consistent files with odd contents: NaN, Inf and huge weights, wrong configs, garbage header fields', async () => {
  const rng = new Rng(7);
  const t = (tallies.consistent = newTally());
  const odd = [NaN, Infinity, -Infinity, 3e38, -3e38, 1e30, 1e20, 1e6];
  for (let i = 0; i < 40; i++) {
    const value = odd[i % odd.length];
    const r = await tryLoad(t, `weight ${value} ${i}`, repack((_, w) => (w[rng.int(w.length)] = value)));
    if (!Number.isFinite(value)) expect(r).toBe('refused');
  }
  const fields = ['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd'];
  for (let i = 0; i < 30; i++) {
    const field = rng.pick(fields);
    const value = i < 10 ? rng.pick([0, -1, 1.5, 1e9, '4', null, {}, [8], 2 ** 40, 16]) : randomValue(rng);
    await tryLoad(t, `config.${field} = ${JSON.stringify(value)?.slice(0, 20)}`, repack((h) => ((h.config as Record<string, unknown>)[field] = value)));
  }
  // nHead 2 -> 1 or 4 keeps every shape: a consistent file of another model, which loads.
  for (const nHead of [1, 4]) await tryLoad(t, `nHead ${nHead}`, repack((h) => ((h.config as Record<string, number>).nHead = nHead)));
  const keys = ['stage', 'step', 'metrics', 'tokenizer', 'tensors', 'config', '__proto__', 'seed'];
  for (let i = 0; i < 40; i++) {
    const key = keys[i % keys.length];
    await tryLoad(t, `header.${key} garbage ${i}`, repack((h) => Object.defineProperty(h, key, { value: randomValue(rng), enumerable: true })));
  }
  const specials = (header.tokenizer as { specials: string[] }).specials;
  const tokenizers = [
    { type: 'char', specials: [...specials].reverse(), chars: (header.tokenizer as { chars: string[] }).chars },
    { type: 'char', specials, chars: ['a', 'a', ...'bcdefgh '] },
    { type: 'char', specials, chars: ['ab', ...'cdefgh '] },
    { type: 'bpe', specials, chars: [] },
    { type: 'char', specials: [...specials, ''], chars: [...'abcdefgh '] },
  ];
  for (const [i, tk] of tokenizers.entries()) expect(await tryLoad(t, `tokenizer ${i}`, repack((h) => (h.tokenizer = tk)))).toBe('refused');
  for (const [i, shape] of [[1e9, 8], [2 ** 31, 2 ** 31], [-1, 8], [15.5, 8], []].entries()) {
    expect(await tryLoad(t, `huge shape ${i}`, repack((h) => ((h.tensors as { shape: unknown }[])[0].shape = shape)))).toBe('refused');
  }
  expect(t.tried).toBe(122);
});

test('the checkpoint fuzz tried at least 300 mutants', () => {
  const all = Object.values(tallies).reduce((s, t) => ({ tried: s.tried + t.tried, refused: s.refused + t.refused, accepted: s.accepted + t.accepted }), newTally());
  console.log(`checkpoint fuzz: ${JSON.stringify(tallies)} total ${JSON.stringify(all)}`);
  expect(all.tried).toBeGreaterThanOrEqual(300);
  expect(all.refused + all.accepted).toBe(all.tried);
});
