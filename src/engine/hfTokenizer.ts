/**
 * Heed's character tokenizer in Hugging Face's files, and back.
 *
 * - `vocab.json`: token string -> id, as GPT-2's is; the special tokens are
 *   the first ids, every other entry is one character.
 * - `tokenizer.json` (the `tokenizers` library's format): the same vocabulary
 *   as a WordLevel model over single characters (a Split pre-tokenizer that
 *   isolates every character), Heed's normalisation of typographic quotes and
 *   dashes as Replace normalizers, `<|unk|>` for unknown characters, and a
 *   Fuse decoder (characters join with no space). One difference stays:
 *   `tokenizers` turns a special-token string typed in the text into that
 *   token, where Heed spells it out character by character.
 * - `tokenizer_config.json`: the chat template (Jinja, as `transformers`'
 *   apply_chat_template reads it) and which special token is which.
 */
import { CharTokenizer, SPECIAL_TOKENS } from './tokenizer.ts';

/** Heed's normalisation (see tokenizer.ts), spelled out for other tools. */
const REPLACEMENTS: [string, string][] = [
  ['\u2018', "'"], ['\u2019', "'"], ['\u201c', '"'], ['\u201d', '"'],
  ['\u2013', '-'], ['\u2014', '-'], ['\u2026', '...'], ['\u00a0', ' '], ['\r', ''],
];

/** token string -> id, specials first. */
export function vocabJson(tk: CharTokenizer): Record<string, number> {
  const vocab: Record<string, number> = {};
  [...tk.specials, ...tk.chars].forEach((t, id) => (vocab[t] = id));
  return vocab;
}

/** The tokenizers library's tokenizer.json for a character tokenizer. */
export function tokenizerJson(tk: CharTokenizer): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: tk.specials.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'Sequence', normalizers: REPLACEMENTS.map(([from, to]) => ({ type: 'Replace', pattern: { String: from }, content: to })) },
    pre_tokenizer: { type: 'Split', pattern: { Regex: '[\\s\\S]' }, behavior: 'Isolated', invert: false },
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: { type: 'WordLevel', vocab: vocabJson(tk), unk_token: '<|unk|>' },
  };
}

/** tokenizer_config.json: the chat template and the special tokens' roles. */
export function tokenizerConfig(tk: CharTokenizer, chatTemplate: string, blockSize: number): object {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    chat_template: chatTemplate,
    bos_token: '<|doc|>',
    eos_token: '<|end|>',
    pad_token: '<|pad|>',
    unk_token: '<|unk|>',
    additional_special_tokens: tk.specials.filter((s) => !['<|doc|>', '<|end|>', '<|pad|>', '<|unk|>'].includes(s)),
    model_max_length: blockSize,
    clean_up_tokenization_spaces: false,
  };
}

/**
 * A character tokenizer from token -> id pairs (vocab.json, or tokenizer.json's
 * model.vocab): ids 0..V-1 with no gap, the special tokens first, then single
 * characters. Anything else (a BPE vocabulary, say) is refused by name.
 */
export function tokenizerFromVocab(vocab: unknown, file = 'vocab.json'): CharTokenizer {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  if (!vocab || typeof vocab !== 'object' || Array.isArray(vocab)) fail('expected an object of token -> id');
  const byId: string[] = [];
  for (const [token, id] of Object.entries(vocab as Record<string, unknown>)) {
    if (!Number.isInteger(id) || (id as number) < 0) fail(`token ${JSON.stringify(token)} has id ${JSON.stringify(id)}, expected a non-negative integer`);
    if (byId[id as number] !== undefined) fail(`tokens ${JSON.stringify(byId[id as number])} and ${JSON.stringify(token)} share id ${id}`);
    byId[id as number] = token;
  }
  const missing = byId.findIndex((t) => t === undefined);
  if (missing >= 0 || byId.length === 0) fail(`no token has id ${missing >= 0 ? missing : 0}: ids must run from 0 with no gap`);
  const nSpecial = byId.findIndex((t) => [...t].length === 1);
  const specials = byId.slice(0, nSpecial < 0 ? byId.length : nSpecial);
  const chars = byId.slice(specials.length);
  const long = chars.find((t) => [...t].length !== 1);
  if (long !== undefined) fail(`token ${JSON.stringify(long)} (id ${byId.indexOf(long)}) is not one character: Heed reads character vocabularies (special tokens first), not BPE ones`);
  const absent = SPECIAL_TOKENS.filter((s) => !specials.includes(s));
  if (absent.length) fail(`the vocabulary lacks Heed's special tokens ${absent.join(', ')} (they must come first, before the characters)`);
  return new CharTokenizer(chars, specials);
}

/** The vocabulary inside a tokenizer.json (a WordLevel model over characters). */
export function tokenizerFromTokenizerJson(json: unknown, file = 'tokenizer.json'): CharTokenizer {
  const model = (json as { model?: { type?: unknown; vocab?: unknown } } | null)?.model;
  if (!model || model.type !== 'WordLevel') {
    throw new Error(`${file}: its model is ${JSON.stringify(model?.type ?? null)}; Heed reads the WordLevel character tokenizer it writes (or a vocab.json)`);
  }
  return tokenizerFromVocab(model.vocab, `${file} model.vocab`);
}
