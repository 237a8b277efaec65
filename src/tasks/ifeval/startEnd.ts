/** IFEval startend:*, punctuation:*, detectable_content:*, combination:*, language:* — the remaining checks. */
import { detectLanguage } from '../language.ts';
import { escapeRegExp, ifevalPattern, stripChars } from '../text.ts';
import { type VerifyFn, intArg, strArg, verdict } from '../types.ts';

/** IFEval's r"\s*" + marker.lower() + r".*$" (multiline), with the marker made safe (see ifevalPattern). */
function markerRegex(marker: string): RegExp {
  const source = ifevalPattern(marker.toLowerCase());
  try {
    return new RegExp(`${source}.*$`, 'm');
  } catch {
    return new RegExp(`${escapeRegExp(marker.toLowerCase())}.*$`, 'm');
  }
}

/**
 * How many times IFEval's /\[.*?\]/g matches: a "[" closed by a "]" on the
 * same line. Counted in one pass; the regex rescans the rest of the line from
 * every unclosed "[", which is quadratic on a line of them.
 */
export function countPlaceholders(r: string): number {
  const stop = /[\]\n\r\u2028\u2029]/g;
  let n = 0;
  let i = r.indexOf('[');
  while (i >= 0) {
    stop.lastIndex = i + 1;
    const m = stop.exec(r);
    if (!m) break;
    if (m[0] === ']') n++;
    i = r.indexOf('[', m.index + 1);
  }
  return n;
}

export const startEnd: Record<string, VerifyFn> = {
  'startend:end_checker': (r, k) => {
    const end = strArg(k, 'end_phrase').trim().toLowerCase();
    const ok = stripChars(r.trim(), '"').toLowerCase().endsWith(end);
    return verdict(ok, ok ? `ends with "${k.end_phrase}"` : `does not end with "${k.end_phrase}"`);
  },
  'startend:quotation': (r) => {
    const v = r.trim();
    const ok = v.length > 1 && v[0] === '"' && v[v.length - 1] === '"';
    return verdict(ok, ok ? 'wrapped in double quotes' : 'not wrapped in double quotation marks');
  },
  'punctuation:no_comma': (r) => {
    const n = r.split(',').length - 1;
    return verdict(n === 0, n ? `${n} commas` : 'no commas');
  },
  'detectable_content:number_placeholders': (r, k) => {
    const n = countPlaceholders(r);
    return verdict(n >= intArg(k, 'num_placeholders'), `${n} [placeholders] (at least ${k.num_placeholders} wanted)`);
  },
  'detectable_content:postscript': (r, k) => {
    const marker = strArg(k, 'postscript_marker').trim();
    // IFEval's patterns begin with \s*, which cannot change whether a search finds one
    // (it may match nothing) but costs time quadratic in a run of spaces: left out.
    const pattern =
      marker === 'P.P.S' ? /p\.\s?p\.\s?s.*$/m
      : marker === 'P.S.' ? /p\.\s?s\..*$/m
      : markerRegex(marker);
    const ok = pattern.test(r.toLowerCase());
    return verdict(ok, ok ? `has a postscript starting with ${marker}` : `no postscript starting with ${marker}`);
  },
  'combination:repeat_prompt': (r, k) => {
    const want = strArg(k, 'prompt_to_repeat').trim().toLowerCase();
    const ok = r.trim().toLowerCase().startsWith(want);
    return verdict(ok, ok ? 'repeats the request first' : 'does not start by repeating the request word for word');
  },
  'combination:two_responses': (r) => {
    const parts = r.split('******');
    const valid: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].trim()) valid.push(parts[i]);
      else if (i !== 0 && i !== parts.length - 1) return verdict(false, 'an empty response between ****** separators');
    }
    const ok = valid.length === 2 && valid[0].trim() !== valid[1].trim();
    return verdict(ok, `${valid.length} responses separated by ******${valid.length === 2 && !ok ? ' (identical)' : ''}`);
  },
  'language:response_language': (r, k) => {
    const want = strArg(k, 'language');
    const got = detectLanguage(r);
    return verdict(got === null || got === want, `language looks like ${got ?? 'unknown (too short)'} (${want} wanted)`);
  },
};
