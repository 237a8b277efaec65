/**
 * A Heed model in Hugging Face's GPT-2 layout, and back: what lets a learner
 * carry a model into PyTorch, `transformers`, TRL or nanoGPT.
 *
 * Export writes `model.safetensors` (GPT2LMHeadModel's names: `transformer.`
 * before Heed's, the weights already in GPT-2's Conv1D [in, out] orientation,
 * the LM head left out because it is tied to `transformer.wte.weight`, as
 * `save_pretrained` does), a `config.json` that `GPT2LMHeadModel.from_pretrained`
 * reads (exact erf GELU as "gelu", LayerNorm epsilon 1e-5, positions = block
 * size, no dropout), the tokenizer files (hfTokenizer.ts) and a model card.
 * The safetensors metadata also carries Heed's own header (stage, step,
 * config, tokenizer), so the file alone imports back.
 *
 * Import takes those files (a folder, a zip, or a lone .safetensors that Heed
 * wrote) and checks everything against GPT-2-with-a-character-vocabulary
 * before building anything: config, names, shapes, dtype and vocabulary each
 * get a message naming what does not fit. Export then import gives the same
 * float32 bits.
 */
import { type CheckpointHeader, type CheckpointMeta, type LoadedCheckpoint, MAGIC, writeCheckpoint } from './checkpoint.ts';
import { type GPTConfig, validateConfig, weightShapes } from './config.ts';
import { tokenizerConfig, tokenizerFromTokenizerJson, tokenizerFromVocab, tokenizerJson, vocabJson } from './hfTokenizer.ts';
import { float32Values, readSafetensors, writeSafetensors } from './safetensors.ts';
import { CharTokenizer } from './tokenizer.ts';
import { isZip, readZip } from './zip.ts';

/** Heed's LayerNorm epsilon (ops.ts), PyTorch's default. */
export const LAYER_NORM_EPS = 1e-5;

/** Heed's weight name -> GPT2LMHeadModel's state-dict name. */
export const hfName = (name: string) => (name === 'wte' || name === 'wpe' ? `transformer.${name}.weight` : `transformer.${name}`);

/** Buffers older `transformers` versions saved with GPT-2 (causal masks, not weights): skipped on import. */
const MASK_BUFFER = /^transformer\.h\.\d+\.attn\.(bias|masked_bias)$/;

/** config.json for GPT2LMHeadModel. */
export function gpt2Config(config: GPTConfig, tk: CharTokenizer): Record<string, unknown> {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: config.vocabSize,
    n_positions: config.blockSize,
    n_ctx: config.blockSize,
    n_embd: config.nEmbd,
    n_layer: config.nLayer,
    n_head: config.nHead,
    n_inner: null, // 4 x n_embd
    activation_function: 'gelu', // exact erf GELU (transformers' "gelu"), not GPT-2's tanh "gelu_new"
    layer_norm_epsilon: LAYER_NORM_EPS,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    initializer_range: 0.02,
    scale_attn_weights: true,
    scale_attn_by_inverse_layer_idx: false,
    reorder_and_upcast_attn: false,
    tie_word_embeddings: true,
    bos_token_id: tk.special('<|doc|>'),
    eos_token_id: tk.special('<|end|>'),
    pad_token_id: tk.special('<|pad|>'),
    torch_dtype: 'float32',
    use_cache: true,
  };
}

/** What a GPT-2 config.json must say for Heed's forward to be the same function; the config it describes. */
export function configFromGpt2(json: unknown, file = 'config.json'): GPTConfig {
  const c = json as Record<string, unknown> | null;
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  if (!c || typeof c !== 'object' || Array.isArray(c)) fail('expected a JSON object');
  const must = (key: string, ok: (v: unknown) => boolean, want: string) => {
    if (!ok(c![key])) fail(`${key} is ${JSON.stringify(c![key])}; Heed's GPT needs ${want}`);
  };
  must('model_type', (v) => v === 'gpt2', '"gpt2"');
  must('activation_function', (v) => v === undefined || v === 'gelu', '"gelu" (the exact erf GELU; GPT-2\'s own "gelu_new" is the tanh approximation)');
  must('layer_norm_epsilon', (v) => v === undefined || v === LAYER_NORM_EPS, `${LAYER_NORM_EPS}`);
  must('n_inner', (v) => v === undefined || v === null || v === 4 * (c!.n_embd as number), 'null (an MLP 4 x n_embd wide)');
  must('scale_attn_weights', (v) => v !== false, 'true (scores divided by sqrt(head size))');
  must('scale_attn_by_inverse_layer_idx', (v) => v !== true, 'false');
  must('tie_word_embeddings', (v) => v !== false, 'true (the LM head is the token embedding)');
  must('add_cross_attention', (v) => v !== true, 'false');
  try {
    return validateConfig({ vocabSize: c!.vocab_size, blockSize: c!.n_positions, nLayer: c!.n_layer, nHead: c!.n_head, nEmbd: c!.n_embd });
  } catch (e) {
    return fail((e as Error).message.replace(/^config: /, '').replace(/vocabSize|blockSize|nLayer|nHead|nEmbd/g, (k) => GPT2_KEYS[k]));
  }
}

const GPT2_KEYS: Record<string, string> = { vocabSize: 'vocab_size', blockSize: 'n_positions', nLayer: 'n_layer', nHead: 'n_head', nEmbd: 'n_embd' };

/** model.safetensors in GPT2LMHeadModel's layout, with Heed's header as metadata. */
export function gpt2Safetensors(config: GPTConfig, tk: CharTokenizer, meta: CheckpointMeta, arrays: Map<string, Float32Array>): Uint8Array {
  const heed = JSON.stringify({ ...meta, config, tokenizer: tk.toJSON() });
  const tensors = weightShapes(config).map(([name, shape]) => ({ name: hfName(name), shape, data: arrays.get(name)! }));
  return writeSafetensors(tensors, { format: 'pt', heed });
}

/** Heed's weights from GPT-2-named tensors; every missing, extra, misshapen or non-float32 tensor is named. */
export function weightsFromGpt2(bytes: Uint8Array, config: GPTConfig, file = 'model.safetensors'): Map<string, Float32Array> {
  const { tensors } = readSafetensors(bytes, file);
  const problems: string[] = [];
  const arrays = new Map<string, Float32Array>();
  const expected = weightShapes(config);
  const known = new Set(expected.map(([n]) => hfName(n)));
  for (const [name, shape] of expected) {
    const t = tensors.get(hfName(name));
    if (!t) problems.push(`missing tensor ${hfName(name)} [${shape}]`);
    else if (t.shape.join() !== shape.join()) problems.push(`tensor ${hfName(name)} is [${t.shape}], the config needs [${shape}]`);
    else arrays.set(name, float32Values(hfName(name), t, file));
  }
  for (const name of tensors.keys()) {
    if (known.has(name) || MASK_BUFFER.test(name) || name === 'lm_head.weight') continue;
    problems.push(`unexpected tensor ${name} (not part of GPT2LMHeadModel with ${config.nLayer} layers)`);
  }
  const head = tensors.get('lm_head.weight');
  if (head && !problems.length) {
    const same = head.shape.join() === `${config.vocabSize},${config.nEmbd}` && float32Values('lm_head.weight', head, file).every((v, i) => Object.is(v, arrays.get('wte')![i]));
    if (!same) problems.push('lm_head.weight differs from transformer.wte.weight: Heed ties the LM head to the token embedding');
  }
  if (problems.length) throw new Error(`${file}: ${problems.slice(0, 4).join('; ')}${problems.length > 4 ? `; and ${problems.length - 4} more` : ''}`);
  for (const [name, a] of arrays) {
    const bad = a.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${file}: tensor ${hfName(name)} holds a non-finite value (${a[bad]}) at index ${bad}`);
  }
  return arrays;
}

export interface ExportOptions {
  /** The chat template in Jinja (data/chat.ts keeps it beside renderChat). */
  chatTemplate: string;
  /** README.md: the model card. */
  card: string;
}

/** Every file of the export, in the order a person reads them. */
export function exportHuggingFace(ckpt: LoadedCheckpoint, opts: ExportOptions): [string, Uint8Array][] {
  const { header, tokenizer: tk, arrays } = ckpt;
  const { tensors: _tensors, config, tokenizer: _tk, ...meta } = header;
  const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o, null, 2) + '\n');
  return [
    ['README.md', new TextEncoder().encode(opts.card)],
    ['config.json', json(gpt2Config(config, tk))],
    ['generation_config.json', json({ bos_token_id: tk.special('<|doc|>'), eos_token_id: [tk.special('<|end|>'), tk.special('<|doc|>')], pad_token_id: tk.special('<|pad|>') })],
    ['model.safetensors', gpt2Safetensors(config, tk, meta, arrays)],
    ['vocab.json', json(vocabJson(tk))],
    ['tokenizer.json', json(tokenizerJson(tk))],
    ['tokenizer_config.json', json(tokenizerConfig(tk, opts.chatTemplate, config.blockSize))],
    ['special_tokens_map.json', json({ bos_token: '<|doc|>', eos_token: '<|end|>', pad_token: '<|pad|>', unk_token: '<|unk|>' })],
  ];
}

const parseJson = (bytes: Uint8Array, file: string): unknown => {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
};

/** Heed's header from the safetensors metadata, when Heed wrote the file. */
function heedMetadata(bytes: Uint8Array, file: string): Partial<CheckpointHeader> | null {
  const raw = readSafetensors(bytes, file).metadata.heed;
  if (raw === undefined) return null;
  const h = parseJson(new TextEncoder().encode(raw), `${file} metadata "heed"`);
  if (!h || typeof h !== 'object') throw new Error(`${file}: metadata "heed" is not an object`);
  return h as Partial<CheckpointHeader>;
}

/**
 * A Heed checkpoint file from an export's files (name -> bytes:
 * model.safetensors and, when present, config.json, vocab.json or
 * tokenizer.json). The files win over the metadata, so a model trained on in
 * PyTorch imports with its own config; a lone .safetensors needs Heed's
 * metadata. Heed's header (stage, step, metrics) comes back as it was.
 */
export function importHuggingFace(files: Map<string, Uint8Array>): Uint8Array {
  const weights = files.get('model.safetensors');
  if (!weights) fail(`no model.safetensors among the files (${[...files.keys()].join(', ') || 'none'})`);
  const meta = heedMetadata(weights!, 'model.safetensors');
  const configFile = files.get('config.json');
  const lone = 'a lone .safetensors that Heed did not write says nothing of';
  const config = configFile ? configFromGpt2(parseJson(configFile, 'config.json')) : meta?.config ? validateConfig(meta.config) : fail(`${lone} heads or layers: import the folder with its config.json`);
  const vocab = files.get('vocab.json');
  const tkFile = files.get('tokenizer.json');
  const tokenizer = vocab
    ? tokenizerFromVocab(parseJson(vocab, 'vocab.json'))
    : tkFile
      ? tokenizerFromTokenizerJson(parseJson(tkFile, 'tokenizer.json'))
      : meta?.tokenizer
        ? CharTokenizer.fromJSON(meta.tokenizer)
        : fail(`${lone} its vocabulary: import the folder with its vocab.json or tokenizer.json`);
  if (tokenizer.vocabSize !== config.vocabSize) fail(`the vocabulary has ${tokenizer.vocabSize} tokens, the config's vocab_size is ${config.vocabSize}`);
  const arrays = weightsFromGpt2(weights!, config);
  const { config: _c, tokenizer: _t, tensors: _x, ...rest } = meta ?? { stage: 'imported', step: 0, metrics: {} };
  if (typeof rest.stage !== 'string' || !Number.isInteger(rest.step) || rest.step! < 0) fail('the metadata "heed" needs a stage and a step');
  const header = rest as CheckpointMeta;
  header.metrics ??= {};
  return writeCheckpoint(config, tokenizer, header, arrays);
}

function fail(what: string): never {
  throw new Error(what);
}

/**
 * Heed checkpoint bytes from one file a person picked, told apart by their
 * first bytes: an export's .zip or a .safetensors Heed wrote is imported;
 * anything else goes on as a .heed checkpoint, whose reader says what is wrong.
 */
export function checkpointFromFile(bytes: Uint8Array): Uint8Array {
  if (new TextDecoder().decode(bytes.subarray(0, 4)) === MAGIC) return bytes;
  if (isZip(bytes)) return importHuggingFace(readZip(bytes));
  if (looksLikeSafetensors(bytes)) return importHuggingFace(new Map([['model.safetensors', bytes]]));
  return bytes;
}

/** A header length under 4 GiB, then a JSON object. */
const looksLikeSafetensors = (b: Uint8Array) => b.length > 8 && b[4] === 0 && b[5] === 0 && b[6] === 0 && b[7] === 0 && b[8] === 0x7b;
