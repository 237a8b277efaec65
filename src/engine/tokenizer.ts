/**
 * Character-level tokenizer with a few special tokens.
 *
 * Design choices:
 * - One id per character, so a tiny model sees spelling and syllables.
 * - Special tokens (`<|doc|>`, `<|user|>`, ...) come first and are only
 *   produced by `encode(text, { allowSpecial: true })`; ordinary text that
 *   happens to contain "<|user|>" is encoded character by character, so a
 *   pasted prompt can never inject a chat-template token.
 * - Characters outside the vocabulary map to `<|unk|>` (counted by
 *   `unknownCount`, never dropped silently), after a light normalisation of
 *   typographic quotes and dashes so curly-quoted text does not turn into unknowns.
 * - Special tokens come first, in SPECIAL_TOKENS' order (code uses their ids,
 *   e.g. 0 for padding); any extra special must be a distinct, non-empty
 *   string that is not a vocabulary character. A checkpoint's tokenizer that
 *   breaks this is refused.
 * - The tokenizer serialises to plain JSON and ships inside every checkpoint.
 */

export const SPECIAL_TOKENS = ['<|pad|>', '<|unk|>', '<|doc|>', '<|user|>', '<|assistant|>', '<|end|>'] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

export interface TokenizerJSON {
  type: 'char';
  specials: string[];
  chars: string[];
}

const NORMALISE: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"',
  '\u2013': '-', '\u2014': '-', '\u2026': '...', '\u00a0': ' ', '\r': '',
};

/** Replace typographic punctuation with ASCII and drop carriage returns. */
export function normaliseText(text: string): string {
  return text.replace(/[\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\r]/g, (c) => NORMALISE[c]);
}

export class CharTokenizer {
  readonly specials: readonly string[];
  readonly chars: readonly string[];
  private readonly charToId = new Map<string, number>();
  private readonly specialToId = new Map<string, number>();
  private readonly specialPattern: RegExp;

  constructor(chars: readonly string[], specials: readonly string[] = SPECIAL_TOKENS) {
    if (new Set(chars).size !== chars.length) throw new Error('tokenizer: duplicate characters in vocabulary');
    for (const c of chars) {
      if ([...c].length !== 1) throw new Error(`tokenizer: vocabulary entry ${JSON.stringify(c)} is not one character`);
    }
    SPECIAL_TOKENS.forEach((s, i) => {
      if (specials[i] !== s) {
        throw new Error(`tokenizer: special token ${i} is ${JSON.stringify(specials[i])}, expected ${s} (the special tokens come first, in order)`);
      }
    });
    for (const s of specials) {
      if (s.length < 2) throw new Error(`tokenizer: special token ${JSON.stringify(s)} must be longer than one character`);
    }
    if (new Set(specials).size !== specials.length) throw new Error('tokenizer: duplicate special tokens');
    this.specials = [...specials];
    this.chars = [...chars];
    this.specials.forEach((s, i) => this.specialToId.set(s, i));
    this.chars.forEach((c, i) => this.charToId.set(c, this.specials.length + i));
    const escaped = this.specials.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.specialPattern = new RegExp(`(${escaped.join('|')})`);
  }

  /** Build a vocabulary from every distinct character of a corpus (after normalisation). */
  static fromText(text: string): CharTokenizer {
    const chars = [...new Set(normaliseText(text))].sort();
    return new CharTokenizer(chars);
  }

  /** Newline plus printable ASCII (96 characters): Heed's default vocabulary for English text. */
  static ascii(): CharTokenizer {
    const chars = ['\n', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];
    return new CharTokenizer(chars);
  }

  static fromJSON(json: unknown): CharTokenizer {
    const j = json as Partial<TokenizerJSON> | null;
    if (!j || j.type !== 'char' || !Array.isArray(j.chars) || !Array.isArray(j.specials)) {
      throw new Error('tokenizer: expected {"type":"char","specials":[...],"chars":[...]}');
    }
    if (!j.chars.every((c) => typeof c === 'string') || !j.specials.every((c) => typeof c === 'string')) {
      throw new Error('tokenizer: vocabulary entries must be strings');
    }
    return new CharTokenizer(j.chars, j.specials);
  }

  toJSON(): TokenizerJSON {
    return { type: 'char', specials: [...this.specials], chars: [...this.chars] };
  }

  get vocabSize(): number {
    return this.specials.length + this.chars.length;
  }

  /** Id of a special token such as `<|end|>`. */
  special(token: SpecialToken): number {
    return this.specialToId.get(token)!;
  }

  isSpecial(id: number): boolean {
    return id >= 0 && id < this.specials.length;
  }

  /** Encode text; special-token strings are honoured only with allowSpecial. */
  encode(text: string, opts: { allowSpecial?: boolean } = {}): number[] {
    const parts = opts.allowSpecial ? normaliseText(text).split(this.specialPattern) : [normaliseText(text)];
    const ids: number[] = [];
    const unk = this.special('<|unk|>');
    for (const part of parts) {
      const sid = opts.allowSpecial ? this.specialToId.get(part) : undefined;
      if (sid !== undefined) {
        ids.push(sid);
        continue;
      }
      for (const c of part) ids.push(this.charToId.get(c) ?? unk);
    }
    return ids;
  }

  /** How many characters of `text` are outside the vocabulary (each becomes `<|unk|>`). */
  unknownCount(text: string): number {
    let n = 0;
    for (const c of normaliseText(text)) if (!this.charToId.has(c)) n++;
    return n;
  }

  /** Decode ids; special tokens are rendered by name unless skipSpecial. */
  decode(ids: Iterable<number>, opts: { skipSpecial?: boolean } = {}): string {
    let out = '';
    for (const id of ids) {
      if (this.isSpecial(id)) {
        if (!opts.skipSpecial) out += this.specials[id];
      } else {
        const c = this.chars[id - this.specials.length];
        if (c === undefined) throw new Error(`tokenizer: id ${id} is outside the vocabulary (size ${this.vocabSize})`);
        out += c;
      }
    }
    return out;
  }

  /** The text of one token, for the tokenizer view. */
  tokenText(id: number): string {
    return this.decode([id]);
  }
}
