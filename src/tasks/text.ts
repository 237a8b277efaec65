/**
 * Text measurements with IFEval's semantics, written for JavaScript.
 *
 * IFEval's checker is Python: `str.islower()`, regexes with Unicode `\w` and
 * `\b`, NLTK's word and sentence tokenizers, langdetect. These helpers follow
 * the same definitions where JavaScript can (Unicode property escapes), and
 * say where they approximate. Sentences: sentences.ts; languages: language.ts.
 */

/** A character with distinct upper and lower case forms (Python's "cased"). */
const isCased = (c: string) => c.toLowerCase() !== c.toUpperCase();

/** At least one cased character, and every cased one already in the given case. */
function allInCase(s: string, toCase: (c: string) => string): boolean {
  let cased = false;
  for (const c of s) {
    if (!isCased(c)) continue;
    if (c !== toCase(c)) return false;
    cased = true;
  }
  return cased;
}

/** Python's str.islower(). */
export const isLower = (s: string) => allInCase(s, (c) => c.toLowerCase());

/** Python's str.isupper(). */
export const isUpper = (s: string) => allInCase(s, (c) => c.toUpperCase());

const WORD = '[\\p{L}\\p{N}\\p{M}_]';
/** Python's `\w+` over Unicode, as NLTK's RegexpTokenizer(r"\w+") uses it. */
export function words(s: string): string[] {
  return s.match(new RegExp(`${WORD}+`, 'gu')) ?? [];
}

export const countWords = (s: string) => words(s).length;

/** A literal string as a regex source. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Patterns that cannot backtrack without bound: literal text, `.`, anchors,
 * escapes such as `\b` or `\d`, and character classes — no quantifier,
 * group, alternation or backreference, which is where `(a+)+$` hangs.
 */
const LINEAR_PATTERN = /^(?:[^\\()[\]{}*+?|]|\\[bBdDwWsSnrt]|\\[^\w\s]|\[(?:[^\]\\]|\\[dDwWsS]|\\[^\w\s])*\])*$/;

/** Longest keyword or marker the checks take (IFEval's longest keyword is a few words). */
export const MAX_KEYWORD_CHARS = 200;

/**
 * The regex source for a pattern from IFEval's arguments (Python regexes):
 * the pattern itself when it is linear (every keyword in IFEval's published
 * data is), else the pattern matched literally. A keyword can then never
 * hang a check, whatever a file holds.
 */
export function ifevalPattern(pattern: string): string {
  if (pattern.length > MAX_KEYWORD_CHARS) throw new Error(`a keyword of ${pattern.length} characters is over the ${MAX_KEYWORD_CHARS}-character limit`);
  return LINEAR_PATTERN.test(pattern) ? pattern : escapeRegExp(pattern);
}

/** Build a regex from IFEval's keyword; a pattern JS cannot parse is matched literally. */
export function keywordRegex(pattern: string, flags: string, wordBounded = false): RegExp {
  const wrap = (p: string) => (wordBounded ? `(?<!${WORD})(?:${p})(?!${WORD})` : p);
  try {
    return new RegExp(wrap(ifevalPattern(pattern)), flags + 'u');
  } catch (e) {
    if (pattern.length > MAX_KEYWORD_CHARS) throw e;
    return new RegExp(wrap(escapeRegExp(pattern)), flags + 'u');
  }
}

/**
 * Word tokens in the spirit of NLTK's word_tokenize: runs of letters and
 * digits, keeping hyphens and inner periods ("U.S.", "well-known") inside a
 * token; punctuation and contractions split off.
 */
export function wordTokens(s: string): string[] {
  return s.match(/[\p{L}\p{N}]+(?:[-.][\p{L}\p{N}]+)*\.?/gu) ?? [];
}

/** IFEval's relations: "less than" is <, "at least" is >=. */
export function compare(actual: number, relation: unknown, n: number): boolean {
  if (relation === 'less than') return actual < n;
  if (relation === 'at least') return actual >= n;
  throw new Error(`relation must be "less than" or "at least", got ${JSON.stringify(relation)}`);
}

/** Python's str.strip(chars) for a set of characters. */
export function stripChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a])) a++;
  while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}
