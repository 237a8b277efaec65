/**
 * Export to Hugging Face's GPT-2 layout and import back: the round trip keeps
 * every bit (the whole checkpoint file, header included); a malformed or
 * foreign file is refused with a message naming what does not fit. The same
 * export read by an independent PyTorch GPT-2 is in pytorch.test.ts.
 */
import { expect, test } from 'vitest';
import { CHAT_TEMPLATE_JINJA } from '../../src/data/chat.ts';
import { readCheckpoint, writeCheckpoint } from '../../src/engine/checkpoint.ts';
import { type GPTConfig, weightShapes } from '../../src/engine/config.ts';
import { checkpointFromFile, exportHuggingFace, importHuggingFace } from '../../src/engine/huggingface.ts';
import { modelCard } from '../../src/engine/modelCard.ts';
import { readSafetensors, writeSafetensors } from '../../src/engine/safetensors.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { crc32 } from '../../src/engine/crc32.ts';
import { readZip, writeZip } from '../../src/engine/zip.ts';

const tokenizer = CharTokenizer.fromText('abcdefgh \n');
const config: GPTConfig = { vocabSize: tokenizer.vocabSize, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 };

/** Weights with the awkward floats a careless converter loses: -0, subnormals, the largest finite. */
function checkpoint(): Uint8Array {
  let k = 1;
  const arrays = new Map(weightShapes(config).map(([name, shape]) => {
    const a = Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => Math.sin(k++) / 3);
    return [name, a] as const;
  }));
  arrays.get('wte')!.set([-0, 1e-40, -3.4028234663852886e38, 1 / 3]);
  return writeCheckpoint(config, tokenizer, { stage: 'sft', step: 42, seed: 3, preset: 'tiny', metrics: { valLoss: 1.25 } }, arrays);
}

const files = (bytes: Uint8Array) => exportHuggingFace(readCheckpoint(bytes), { chatTemplate: CHAT_TEMPLATE_JINJA, card: 'card' });
const folder = (bytes: Uint8Array) => new Map(files(bytes));
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

test('export then import gives the same checkpoint, byte for byte: from the folder, the zip or the lone .safetensors', () => {
  const original = checkpoint();
  expect(importHuggingFace(folder(original))).toEqual(original);
  // As transformers' save_pretrained leaves a folder: tokenizer.json but no vocab.json, no Heed metadata needed for the vocabulary.
  const saved = folder(original);
  saved.delete('vocab.json');
  expect(importHuggingFace(saved)).toEqual(original);
  const zip = writeZip(files(original));
  expect(checkpointFromFile(zip)).toEqual(original);
  expect(checkpointFromFile(folder(original).get('model.safetensors')!)).toEqual(original);
  expect(checkpointFromFile(original)).toBe(original); // a .heed file passes through
  const other = new TextEncoder().encode('not a model at all');
  expect(checkpointFromFile(other)).toBe(other); // left to the checkpoint reader's "not a Heed checkpoint"
});

test('the export is GPT2LMHeadModel\'s layout: names, Conv1D [in, out] shapes, float32, tied head, config and vocabulary', () => {
  const f = folder(checkpoint());
  const { tensors, metadata } = readSafetensors(f.get('model.safetensors')!);
  expect(metadata.format).toBe('pt'); // from_pretrained refuses a safetensors file without it
  expect([...tensors.keys()]).toContain('transformer.h.1.attn.c_attn.weight');
  expect(tensors.get('transformer.h.1.attn.c_attn.weight')!.shape).toEqual([8, 24]);
  expect(tensors.get('transformer.h.0.mlp.c_proj.weight')!.shape).toEqual([32, 8]);
  expect(tensors.has('lm_head.weight')).toBe(false);
  expect(new Set([...tensors.values()].map((t) => t.dtype))).toEqual(new Set(['F32']));
  expect(tensors.size).toBe(weightShapes(config).length);
  const cfg = JSON.parse(text(f.get('config.json')!));
  expect(cfg).toMatchObject({ model_type: 'gpt2', n_layer: 2, n_head: 2, n_embd: 8, n_positions: 8, vocab_size: config.vocabSize, activation_function: 'gelu', layer_norm_epsilon: 1e-5, tie_word_embeddings: true });
  const vocab = JSON.parse(text(f.get('vocab.json')!));
  expect(vocab['<|pad|>']).toBe(0);
  expect(vocab['\n']).toBe(tokenizer.encode('\n')[0]);
  expect(Object.keys(vocab)).toHaveLength(config.vocabSize);
  expect(JSON.parse(text(f.get('tokenizer_config.json')!)).chat_template).toBe(CHAT_TEMPLATE_JINJA);
});

/** A safetensors file from a raw header and body, for the malformed cases. */
function raw(header: Record<string, unknown>, body: Uint8Array, headerLength?: number): Uint8Array {
  const h = json(header);
  const out = new Uint8Array(8 + h.length + body.length);
  new DataView(out.buffer).setUint32(0, headerLength ?? h.length, true);
  out.set(h, 8);
  out.set(body, 8 + h.length);
  return out;
}

test('malformed safetensors are refused with what is wrong', () => {
  const body = new Uint8Array(32);
  const ok = { a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] }, b: { dtype: 'F32', shape: [4], data_offsets: [16, 32] } };
  expect(readSafetensors(raw(ok, body)).tensors.size).toBe(2);
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(5), /5 bytes is too short/],
    [raw(ok, body, 1e6), /header length 1000000 bytes runs past the end of the file/],
    [raw(ok, body, 2e9), /header length 2000000000 bytes is over the 100000000-byte limit/],
    [raw({ ...ok, b: { dtype: 'F32', shape: [4], data_offsets: [8, 24] } }, body), /tensor b \(bytes 8\.\.24\) overlaps the tensor before it/],
    [raw({ ...ok, b: { dtype: 'F32', shape: [2], data_offsets: [24, 32] } }, body), /bytes 16\.\.24 of the data belong to no tensor/],
    [raw({ ...ok, b: { dtype: 'F32', shape: [5], data_offsets: [16, 32] } }, body), /tensor b spans 16 bytes, but F32 \[5\] needs 20/],
    [raw({ ...ok, b: { dtype: 'F32', shape: [4], data_offsets: [16, 36] } }, body), /tensor b ends at byte 36, past the end of the data/],
    [raw({ ...ok, b: { dtype: 'Q4', shape: [4], data_offsets: [16, 32] } }, body), /tensor b has unknown dtype "Q4"/],
    [raw({ a: ok.a }, body), /16 bytes after the last tensor belong to no tensor/],
  ];
  for (const [bytes, message] of cases) expect(() => readSafetensors(bytes, 'w.safetensors')).toThrow(message);
  expect(() => readSafetensors(raw(ok, body, 1e6), 'w.safetensors')).toThrow(/^w\.safetensors: /);
});

/** The export's safetensors rebuilt after `change` (tensors as name, dtype, shape, raw bytes), offsets tiled afresh. */
function edited(change: (tensors: { name: string; dtype: string; shape: number[]; bytes: Uint8Array }[]) => void): Map<string, Uint8Array> {
  const f = folder(checkpoint());
  const st = readSafetensors(f.get('model.safetensors')!);
  const tensors = [...st.tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape, bytes: t.bytes.slice() }));
  change(tensors);
  const header: Record<string, unknown> = { __metadata__: st.metadata };
  let at = 0;
  for (const t of tensors) header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, (at += t.bytes.length)] };
  const body = new Uint8Array(at);
  tensors.reduce((o, t) => (body.set(t.bytes, o), o + t.bytes.length), 0);
  f.set('model.safetensors', raw(header, body));
  return f;
}

const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

test('a file that is not Heed\'s GPT-2 is refused naming the tensor, config field or vocabulary entry', () => {
  const at = (t: { name: string }[], name: string) => t.findIndex((x) => x.name === name);
  const refused: [Map<string, Uint8Array>, RegExp][] = [
    [edited((t) => t.splice(at(t, 'transformer.h.1.ln_2.bias'), 1)), /missing tensor transformer\.h\.1\.ln_2\.bias \[8\]/],
    [edited((t) => (t[at(t, 'transformer.ln_f.bias')].dtype = 'I32')), /tensor transformer\.ln_f\.bias is I32; Heed reads float32 \(F32\) weights only/],
    [edited((t) => Object.assign(t[at(t, 'transformer.ln_f.bias')], { dtype: 'F64', bytes: new Uint8Array(Float64Array.from({ length: 8 }).buffer) })), /tensor transformer\.ln_f\.bias is F64; Heed reads float32/],
    [edited((t) => Object.assign(t[at(t, 'transformer.h.0.attn.c_proj.weight')], { shape: [4, 16] })), /tensor transformer\.h\.0\.attn\.c_proj\.weight is \[4,16\], the config needs \[8,8\]/],
    [edited((t) => t.push({ name: 'transformer.h.2.ln_1.bias', dtype: 'F32', shape: [8], bytes: f32(Array(8).fill(0)) })), /unexpected tensor transformer\.h\.2\.ln_1\.bias/],
    [edited((t) => t.push({ ...t[0], name: 'lm_head.weight', bytes: f32([...new Float32Array(t[0].bytes.buffer)].map((v) => v + 1)) })), /lm_head\.weight differs from transformer\.wte\.weight/],
    [edited((t) => new DataView(t[3].bytes.buffer).setFloat32(8, NaN, true)), /tensor transformer\.h\.0\.ln_1\.bias holds a non-finite value \(NaN\) at index 2/],
  ];
  for (const [files, message] of refused) expect(() => importHuggingFace(files)).toThrow(message);
  // The same file with an equal lm_head (as some writers store it) and an old causal-mask buffer imports.
  const extras = edited((t) => t.push({ ...t[0], name: 'lm_head.weight' }, { name: 'transformer.h.0.attn.bias', dtype: 'F32', shape: [1, 1, 2, 2], bytes: f32([1, 0, 1, 1]) }));
  expect(importHuggingFace(extras)).toEqual(checkpoint());

  const withConfig = (edit: Record<string, unknown>) => {
    const f = folder(checkpoint());
    f.set('config.json', json({ ...JSON.parse(text(f.get('config.json')!)), ...edit }));
    return f;
  };
  expect(() => importHuggingFace(withConfig({ activation_function: 'gelu_new' }))).toThrow(/config\.json: activation_function is "gelu_new"; Heed's GPT needs "gelu"/);
  expect(() => importHuggingFace(withConfig({ layer_norm_epsilon: 1e-6 }))).toThrow(/layer_norm_epsilon is 0\.000001/);
  expect(() => importHuggingFace(withConfig({ n_head: 3 }))).toThrow(/n_embd \(8\) must be divisible by n_head \(3\)/);
  expect(() => importHuggingFace(withConfig({ n_layer: 3 }))).toThrow(/missing tensor transformer\.h\.2\.ln_1\.weight/);
  expect(() => importHuggingFace(withConfig({ model_type: 'llama' }))).toThrow(/model_type is "llama"/);

  const withVocab = (vocab: Record<string, number>) => {
    const f = folder(checkpoint());
    f.set('vocab.json', json(vocab));
    return f;
  };
  const vocab = JSON.parse(text(folder(checkpoint()).get('vocab.json')!));
  expect(() => importHuggingFace(withVocab({ ...vocab, 'Ġthe': config.vocabSize }))).toThrow(/vocab\.json: token "Ġthe" .* is not one character: Heed reads character vocabularies/);
  expect(() => importHuggingFace(withVocab({ ...vocab, z: config.vocabSize }))).toThrow(/the vocabulary has \d+ tokens, the config's vocab_size is \d+/);
  const { '<|end|>': _end, ...noEnd } = vocab;
  expect(() => importHuggingFace(withVocab({ ...noEnd, '<|stop|>': vocab['<|end|>'] }))).toThrow(/lacks Heed's special tokens <\|end\|>/);

  // A lone safetensors that Heed did not write cannot say how many heads it has.
  const plain = readSafetensors(folder(checkpoint()).get('model.safetensors')!);
  const stripped = writeSafetensors([...plain.tensors].map(([name, t]) => ({ name, shape: t.shape, data: new Float32Array(t.bytes.slice().buffer) })), { format: 'pt' });
  // With its folder's config.json and vocab.json it imports: same weights, stage "imported".
  const withFolder = folder(checkpoint());
  withFolder.set('model.safetensors', stripped);
  const imported = readCheckpoint(importHuggingFace(withFolder));
  expect(imported.header).toMatchObject({ stage: 'imported', step: 0, metrics: {} });
  expect(imported.arrays).toEqual(readCheckpoint(checkpoint()).arrays);
  expect(() => checkpointFromFile(stripped)).toThrow(/a lone \.safetensors that Heed did not write says nothing of heads or layers: import the folder with its config\.json/);
  expect(() => importHuggingFace(new Map([['config.json', json({})]]))).toThrow(/no model\.safetensors among the files \(config\.json\)/);
});

test('the zip is a standard stored archive: CRC-32 as zip defines it, damage is caught', () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // the standard check value
  const zip = writeZip([['a.txt', new TextEncoder().encode('hello')], ['b/c.json', json({ x: 1 })]]);
  const back = readZip(zip);
  expect(text(back.get('a.txt')!)).toBe('hello');
  expect(text(back.get('c.json')!)).toBe('{"x":1}');
  const damaged = zip.slice();
  damaged[30 + 'a.txt'.length] ^= 1;
  expect(() => readZip(damaged, 'm.zip')).toThrow(/m\.zip: a\.txt fails its CRC check/);
  expect(() => readZip(new Uint8Array(40), 'm.zip')).toThrow(/not a zip archive/);
});

test('the model card says the stage, steps, figures and how to load the model', () => {
  const { header } = readCheckpoint(checkpoint());
  const card = modelCard({ header, name: 'mine', heldOut: { suite: 'heldout', prompts: 120, promptStrict: 0.775, instructionStrict: 0.8, perType: { 'heed:haiku': { count: 40, strict: 0.9 } } } });
  expect(card).toMatch(/instruction-tuned/);
  expect(card).toMatch(/42 training steps/);
  expect(card).toMatch(/\| valLoss \| 1\.2500 \|/);
  expect(card).toMatch(/prompt-level strict 77\.5 %/);
  expect(card).toMatch(/\| heed:haiku \| 40 \| 90\.0 % \|/);
  expect(card).toMatch(/GPT2LMHeadModel\.from_pretrained/);
});
