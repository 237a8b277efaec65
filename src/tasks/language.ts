/**
 * A small language identifier standing in for langdetect, which IFEval uses
 * and which needs a trained profile Heed does not ship. The writing system
 * decides most languages; within a script, counts of common function words
 * decide (Hindi vs Marathi vs Nepali, Arabic vs Persian vs Urdu, Russian vs
 * Bulgarian, and the Latin-script languages). Returns an ISO 639-1 code, or
 * null when there is too little text to say (IFEval counts that as followed).
 */

const SCRIPTS: [RegExp, string][] = [
  [/[\u0c80-\u0cff]/g, 'kn'], [/[\u0c00-\u0c7f]/g, 'te'], [/[\u0b80-\u0bff]/g, 'ta'], [/[\u0a80-\u0aff]/g, 'gu'],
  [/[\u0a00-\u0a7f]/g, 'pa'], [/[\u0980-\u09ff]/g, 'bn'], [/[\u0e00-\u0e7f]/g, 'th'], [/[\uac00-\ud7af]/g, 'ko'],
  [/[\u3040-\u30ff]/g, 'ja'], [/[\u4e00-\u9fff]/g, 'zh'], [/[\u0370-\u03ff]/g, 'el'], [/[\u0590-\u05ff]/g, 'he'],
  [/[\u0d00-\u0d7f]/g, 'ml'], [/[\u0900-\u097f]/g, 'devanagari'], [/[\u0600-\u06ff]/g, 'arabic'],
  [/[\u0400-\u04ff]/g, 'cyrillic'], [/[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]/g, 'latin'],
];

/** Function words by language; the language whose words are most frequent wins. */
const STOPWORDS: Record<string, Record<string, string[]>> = {
  devanagari: {
    hi: ['है', 'और', 'के', 'की', 'में', 'से', 'को', 'हैं', 'यह', 'था'],
    mr: ['आहे', 'आणि', 'च्या', 'या', 'हे', 'आहेत', 'ला', 'ही', 'तर', 'होते'],
    ne: ['छ', 'र', 'को', 'हो', 'मा', 'पनि', 'गर्न', 'छन्', 'लाई', 'थियो'],
  },
  arabic: {
    ar: ['في', 'من', 'على', 'أن', 'إلى', 'التي', 'الذي', 'هذا', 'عن', 'مع'],
    fa: ['است', 'این', 'را', 'که', 'با', 'برای', 'می', 'یک', 'از', 'های'],
    ur: ['ہے', 'کے', 'کی', 'میں', 'اور', 'کا', 'ہیں', 'سے', 'کو', 'یہ'],
  },
  cyrillic: {
    ru: ['и', 'не', 'что', 'это', 'как', 'он', 'для', 'в', 'мы', 'был'],
    bg: ['и', 'на', 'е', 'да', 'са', 'за', 'това', 'ще', 'от', 'се'],
    uk: ['і', 'що', 'це', 'як', 'та', 'не', 'для', 'був', 'ми', 'їх'],
  },
  latin: {
    en: ['the', 'and', 'of', 'to', 'is', 'in', 'that', 'it', 'you', 'for', 'with', 'this', 'are', 'be', 'on', 'a'],
    de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'ein', 'zu', 'den', 'sie', 'ich', 'mit', 'es', 'auf'],
    fr: ['le', 'la', 'les', 'et', 'des', 'est', 'une', 'un', 'pas', 'que', 'du', 'pour', 'dans', 'vous'],
    es: ['el', 'la', 'los', 'y', 'que', 'es', 'en', 'del', 'por', 'las', 'una', 'con', 'para', 'se'],
    it: ['il', 'di', 'che', 'e', 'la', 'è', 'per', 'non', 'un', 'una', 'sono', 'del', 'della', 'gli'],
    pt: ['o', 'de', 'que', 'e', 'do', 'da', 'não', 'em', 'um', 'uma', 'para', 'os', 'com', 'é'],
    nl: ['de', 'het', 'een', 'en', 'van', 'is', 'niet', 'dat', 'op', 'zijn', 'ik', 'met'],
    fi: ['ja', 'on', 'ei', 'se', 'että', 'oli', 'ovat', 'hän', 'kun', 'mutta', 'myös', 'tai', 'joka'],
    sw: ['na', 'ya', 'wa', 'kwa', 'ni', 'za', 'katika', 'hii', 'kama', 'la', 'cha', 'yake', 'kuwa'],
    vi: ['và', 'của', 'là', 'có', 'không', 'những', 'được', 'một', 'cho', 'trong', 'người', 'các', 'với'],
    id: ['yang', 'dan', 'di', 'ini', 'itu', 'dengan', 'untuk', 'tidak', 'dari', 'dalam', 'akan', 'ada'],
    tr: ['ve', 'bir', 'bu', 'da', 'de', 'için', 'ile', 'çok', 'ne', 'olarak', 'değil'],
    pl: ['i', 'w', 'nie', 'na', 'się', 'z', 'jest', 'że', 'do', 'to', 'jak'],
    sv: ['och', 'att', 'det', 'är', 'som', 'en', 'på', 'för', 'med', 'inte', 'av'],
  },
};

function byStopwords(text: string, table: Record<string, string[]>): string {
  const tokens = text.toLowerCase().match(/[\p{L}\p{M}]+/gu) ?? [];
  const counts = new Map<string, number>();
  for (const t of tokens) {
    for (const [lang, list] of Object.entries(table)) if (list.includes(t)) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  let best = Object.keys(table)[0];
  for (const [lang, n] of counts) if (n > (counts.get(best) ?? 0)) best = lang;
  return best;
}

export function detectLanguage(text: string): string | null {
  let best = '';
  let bestCount = 0;
  for (const [re, name] of SCRIPTS) {
    const n = text.match(re)?.length ?? 0;
    if (n > bestCount) [best, bestCount] = [name, n];
  }
  if (bestCount < 3) return null;
  const table = STOPWORDS[best];
  if (!table) return best;
  // A few words are too little to tell Latin-script languages apart ("den." is English too).
  if (best === 'latin' && (text.match(/[\p{L}]+/gu) ?? []).length < 4) return null;
  if (best === 'latin' && /[ăâđêôơư]|[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu.test(text)) return 'vi';
  return byStopwords(text, table);
}
