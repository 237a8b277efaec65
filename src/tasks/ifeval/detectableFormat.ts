/** IFEval detectable_format:* — bullets, title, JSON, highlights, sections, fixed answers. */
import { escapeRegExp, stripChars } from '../text.ts';
import { type VerifyFn, intArg, strArg, verdict } from '../types.ts';

/** Bullets as IFEval counts them: lines starting with "* " (not "**") or "-". */
export function countBullets(r: string): number {
  const star = r.match(/^\s*\*[^*].*$/gm)?.length ?? 0;
  const dash = r.match(/^\s*-.*$/gm)?.length ?? 0;
  return star + dash;
}

/** Highlighted sections: *text* or **text** with something inside. */
export function countHighlights(r: string): number {
  const single = (r.match(/\*[^\n*]*\*/g) ?? []).filter((h) => stripChars(h, '*').trim()).length;
  const double = (r.match(/\*\*[^\n*]*\*\*/g) ?? []).filter((h) => h.slice(2, -2).trim()).length;
  return single + double;
}

export const CONSTRAINED_OPTIONS = ['My answer is yes.', 'My answer is no.', 'My answer is maybe.'];

function parsesAsJson(r: string): boolean {
  let v = r.trim();
  for (const p of ['```json', '```Json', '```JSON', '```']) {
    if (v.startsWith(p)) {
      v = v.slice(p.length);
      break;
    }
  }
  if (v.endsWith('```')) v = v.slice(0, -3);
  try {
    JSON.parse(v.trim());
    return true;
  } catch {
    return false;
  }
}

export const detectableFormat: Record<string, VerifyFn> = {
  'detectable_format:number_bullet_lists': (r, k) => {
    const n = countBullets(r);
    const want = intArg(k, 'num_bullets');
    return verdict(n === want, `${n} bullet points (exactly ${want} wanted)`);
  },
  'detectable_format:title': (r) => {
    const ok = (r.match(/<<[^\n]+>>/g) ?? []).some((t) => stripChars(stripChars(t, '<'), '>').trim());
    return verdict(ok, ok ? 'has a <<title>>' : 'no title in <<double angular brackets>>');
  },
  'detectable_format:json_format': (r) => {
    const ok = parsesAsJson(r);
    return verdict(ok, ok ? 'valid JSON' : 'not valid JSON');
  },
  'detectable_format:number_highlighted_sections': (r, k) => {
    const n = countHighlights(r);
    return verdict(n >= intArg(k, 'num_highlights'), `${n} highlighted sections (at least ${k.num_highlights} wanted)`);
  },
  'detectable_format:multiple_sections': (r, k) => {
    const splitter = strArg(k, 'section_spliter').trim();
    const n = r.split(new RegExp(`\\s?${escapeRegExp(splitter)}\\s?\\d+\\s?`)).length - 1;
    return verdict(n >= intArg(k, 'num_sections'), `${n} sections marked "${splitter} N" (at least ${k.num_sections} wanted)`);
  },
  'detectable_format:constrained_response': (r) => {
    const ok = CONSTRAINED_OPTIONS.some((o) => r.trim().includes(o));
    return verdict(ok, ok ? 'uses one of the allowed answers' : `none of ${CONSTRAINED_OPTIONS.join(' / ')}`);
  },
};
