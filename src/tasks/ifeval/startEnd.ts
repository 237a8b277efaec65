/** IFEval startend:*, punctuation:*, detectable_content:*, combination:*, language:* — the remaining checks. */
import { detectLanguage } from '../language.ts';
import { stripChars } from '../text.ts';
import { type VerifyFn, intArg, strArg, verdict } from '../types.ts';

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
    const n = r.match(/\[.*?\]/g)?.length ?? 0;
    return verdict(n >= intArg(k, 'num_placeholders'), `${n} [placeholders] (at least ${k.num_placeholders} wanted)`);
  },
  'detectable_content:postscript': (r, k) => {
    const marker = strArg(k, 'postscript_marker').trim();
    const pattern =
      marker === 'P.P.S' ? /\s*p\.\s?p\.\s?s.*$/m
      : marker === 'P.S.' ? /\s*p\.\s?s\..*$/m
      : new RegExp(`\\s*${marker.toLowerCase()}.*$`, 'm');
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
