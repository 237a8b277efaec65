/**
 * Build src/data/langdetectProfiles.json: the 55 language profiles of
 * Nakatani Shuyo's language-detection (Apache-2.0, Cybozu Labs), as Python's
 * langdetect 1.0.9 ships them, plus its CJK normalisation classes. These are
 * the profiles Google's IFEval checker detects with, so Heed's port answers
 * as it does. Source: Debian's python3-langdetect (`apt-get install
 * python3-langdetect`); npm's `langdetect` 0.2.1 is not used because it lacks
 * Catalan and Welsh and carries an older Korean profile (docs/ifeval-audit.md).
 *   node scripts/run.mjs scripts/buildLangProfiles.ts [--from DIR]
 * DIR is the langdetect package folder (default: Debian's).
 * Output: {langs, nWords: [[1-, 2-, 3-gram totals]], freq: ["gram:count gram:count ..." per language],
 * cjk: [class strings]}; grams hold no space (it is written "_") and no ":".
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/models.ts';

const flag = process.argv.indexOf('--from');
const from = flag >= 0 ? process.argv[flag + 1] : '/usr/lib/python3/dist-packages/langdetect';
const profilesDir = join(from, 'profiles');
const messagesFile = join(from, 'utils', 'messages.properties');
if (!existsSync(profilesDir) || !existsSync(messagesFile)) {
  console.error(`--from ${from}: no profiles/ or utils/messages.properties there (apt-get install python3-langdetect)`);
  process.exit(2);
}

interface Profile { name: string; freq: Record<string, number>; n_words: number[] }
const langs = readdirSync(profilesDir).sort();
const profiles = langs.map((l) => JSON.parse(readFileSync(join(profilesDir, l), 'utf8')) as Profile);
const freq = profiles.map((p, i) => {
  if (p.name !== langs[i]) throw new Error(`${profilesDir}/${langs[i]}: profile is named "${p.name}"`);
  return Object.entries(p.freq).map(([gram, n]) => {
    if (/[_:]/.test(gram)) throw new Error(`${langs[i]}: gram "${gram}" holds "_" or ":", which the format reserves`);
    return `${gram.replaceAll(' ', '_')}:${n}`;
  }).join(' ');
});

// messages.properties writes characters as \uXXXX escapes; the NGram.KANJI_* lines are the CJK classes.
const unescape = (s: string) => s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
const cjk = readFileSync(messagesFile, 'utf8').split('\n')
  .filter((l) => l.startsWith('NGram.KANJI_'))
  .map((l) => unescape(l.slice(l.indexOf('=') + 1).trim()));

const out = join(ROOT, 'src', 'data', 'langdetectProfiles.json');
writeFileSync(out, JSON.stringify({ langs, nWords: profiles.map((p) => p.n_words), freq, cjk }) + '\n');
console.log(`${out}: ${langs.length} languages, ${cjk.length} CJK classes`);
