/**
 * Fuzzing the text inputs with fixed seeds: each JSONL reader (pairs,
 * preferences, IFEval prompts, IFEval responses) on mutated files, the URL
 * hash with every Object.prototype name and random strings, and restored
 * IndexedDB state and worker requests made of garbage. Each case must end
 * in a clear, line-numbered refusal or in records that really are valid
 * (they render, they score); never a crash, a hang or garbage let through.
 */
import { expect, test } from 'vitest';
import { formatHash, parseHash } from '../../src/app/hash.ts';
import { restoreRecords } from '../../src/app/restore.ts';
import { renderChat } from '../../src/data/chat.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { MAX_TEXT_CHARS, checkPair, checkPreference, checkResponse, parseJsonl } from '../../src/eval/jsonl.ts';
import { type InputExample, checkScorable, scorePrompt } from '../../src/eval/score.ts';
import { checkPairs, checkPreferences } from '../../workers/validate.ts';
import { Rng, type Tally, newTally, outcome, randomText, randomValue } from './fuzz.ts';

const tallies: Record<string, Tally> = {};
const tok = CharTokenizer.ascii();
const isText = (v: unknown) => typeof v === 'string' && v.length <= MAX_TEXT_CHARS;

interface Reader {
  name: string;
  check: (v: unknown) => string | null;
  lines: object[];
  /** What a record that got through must be good for. */
  use: (record: Record<string, unknown>) => void;
}

const READERS: Reader[] = [
  {
    name: 'pairs', check: checkPair,
    lines: [{ prompt: 'Write a haiku about rain.', response: 'soft rain on the roof' }, { prompt: 'Owl in a word?', response: 'wise' }],
    use: (r) => {
      expect(isText(r.prompt) && isText(r.response)).toBe(true);
      renderChat(tok, [{ role: 'user', content: r.prompt as string }, { role: 'assistant', content: r.response as string }]);
    },
  },
  {
    name: 'preferences', check: checkPreference,
    lines: [{ prompt: 'Moss haiku.', chosen: 'green moss on stone', rejected: 'MOSS' }, { prompt: 'Lemon?', chosen: 'sour', rejected: 'Sour, yes.' }],
    use: (r) => expect(['prompt', 'chosen', 'rejected'].every((k) => isText(r[k])) && r.chosen !== r.rejected).toBe(true),
  },
  {
    name: 'IFEval prompts', check: checkScorable,
    lines: [
      { key: 1, prompt: 'Lowercase, please.', instruction_id_list: ['change_case:english_lowercase'], kwargs: [{}] },
      { key: 2, prompt: 'Use "moon" twice.', instruction_id_list: ['keywords:frequency', 'keywords:existence'], kwargs: [{ keyword: 'moon', relation: 'at least', frequency: 2 }, { keywords: ['sky'] }] },
      { key: 3, prompt: 'A P.S. at the end.', instruction_id_list: ['detectable_content:postscript'], kwargs: [{ postscript_marker: 'P.S.' }] },
    ],
    use: (r) => {
      for (const response of ['the moon, the moon and the sky', '', 'P.S. x\n'.repeat(50), '['.repeat(20_000)]) scorePrompt(r as unknown as InputExample, response);
    },
  },
  {
    name: 'IFEval responses', check: checkResponse,
    lines: [{ prompt: 'Lowercase, please.', response: 'fine by me' }, { prompt: 'x', response: '' }],
    use: (r) => expect(isText(r.prompt) && isText(r.response)).toBe(true),
  },
];

/** One mutant JSONL file made from a reader's good lines. */
function mutate(rng: Rng, lines: object[], i: number): string {
  const rows = lines.map((l) => JSON.stringify(l));
  const kind = i % 8;
  if (kind === 0) { // cut a piece out of the text
    const text = rows.join('\n');
    const at = rng.int(text.length);
    return text.slice(0, at) + text.slice(at + 1 + rng.int(20));
  }
  if (kind === 1) { // insert hostile characters
    const text = rows.join('\n');
    const at = rng.int(text.length);
    return text.slice(0, at) + randomText(rng) + text.slice(at);
  }
  const objs = lines.map((l) => JSON.parse(JSON.stringify(l)) as Record<string, unknown>);
  const target = rng.pick(objs);
  const keys = Object.keys(target);
  if (kind === 2 || kind === 3) target[rng.pick(keys)] = randomValue(rng); // a field of the wrong type or size
  else if (kind === 4) delete target[rng.pick(keys)];
  else if (kind === 5) Object.defineProperty(target, rng.pick(['__proto__', 'constructor', 'toString']), { value: randomValue(rng), enumerable: true });
  else if (kind === 6) { // a list inside the record gets a hostile element
    const list = keys.find((k) => Array.isArray(target[k]));
    if (list) (target[list] as unknown[]).push(randomValue(rng));
    else target[rng.pick(keys)] = 'y'.repeat(MAX_TEXT_CHARS + rng.int(3));
  } else return rng.pick(['', '\n\n', '\ufeff' + rows[0], '[' .repeat(50_000), rows.join('\r\n'), 'null', '[]', '"text"', '{}']);
  return rng.shuffle(objs.map((o) => JSON.stringify(o))).join('\n');
}

for (const reader of READERS) {
  test(`JSONL fuzz, ${reader.name}: 120 mutants, each refused with its line number or read into usable records`, async () => {
    const rng = new Rng(reader.name.length * 97);
    const t = (tallies[`jsonl ${reader.name}`] = newTally());
    for (let i = 0; i < 120; i++) {
      const text = mutate(rng, reader.lines, i);
      const lineCount = text.split('\n').length;
      const read = () => {
        try {
          return parseJsonl<Record<string, unknown>>(text, reader.check, 'in.jsonl line');
        } catch (e) {
          const line = Number(/^in\.jsonl line (\d+)/.exec((e as Error).message)?.[1]);
          if (!(line >= 1 && line <= lineCount)) throw new Error(`names no line of the file: ${(e as Error).message}`);
          throw e;
        }
      };
      await outcome(t, `${reader.name} mutant ${i}`, /^in\.jsonl line \d+: \S/, read, (records) => {
        for (const r of records) reader.use(r);
      }).catch((e) => {
        throw new Error(`${(e as Error).message}\n  file: ${JSON.stringify(text).slice(0, 300)}`);
      });
    }
    expect(t.tried).toBe(120);
    expect(t.refused).toBeGreaterThan(30);
  });
}

test('URL hash fuzz: every Object.prototype name as a key, and random strings, never throw or leak through', async () => {
  const rng = new Rng(5);
  const t = (tallies.hash = newTally());
  const allowed = new Set(['preset', 'iters', 'lr', 'seed', 'sftIters', 'sftLr', 'step', 'prompt']);
  const hashes: string[] = [];
  for (const name of Object.getOwnPropertyNames(Object.prototype)) {
    for (const value of ['1', '', 'x', '0x3', '%00']) hashes.push(`#${name}=${value}`, `#seed=4&${name}=${value}&iters=10`);
  }
  for (let i = 0; i < 200; i++) {
    const parts = Array.from({ length: 1 + rng.int(4) }, () => `${rng.next() < 0.5 ? rng.pick([...allowed]) : randomText(rng, 8)}=${rng.next() < 0.5 ? String(rng.pick([1, 0.5, -1, 1e9, 3000])) : randomText(rng, 8)}`);
    hashes.push('#' + parts.join('&'));
  }
  for (const [i, hash] of hashes.entries()) {
    await outcome(t, `hash ${i} ${hash}`, /^$/, () => parseHash(hash), (s) => {
      expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
      for (const [k, v] of Object.entries(s)) {
        expect(allowed.has(k), `${hash} -> ${k}`).toBe(true);
        if (k === 'prompt' || k === 'preset') expect(typeof v).toBe('string');
        else expect(Number.isFinite(v), `${hash} -> ${k}=${v}`).toBe(true);
      }
      expect(parseHash(formatHash(s))).toEqual(s); // what was read writes back the same
    });
  }
  expect(t.accepted).toBe(hashes.length); // parseHash never refuses: it ignores
  expect(t.tried).toBeGreaterThanOrEqual(Object.getOwnPropertyNames(Object.prototype).length * 10 + 200);
});

test('restored-state fuzz: garbage saved pairs and ratings are dropped and counted; worker requests refuse garbage by name', async () => {
  const rng = new Rng(9);
  const t = (tallies.restored = newTally());
  const w = (tallies.worker = newTally());
  const good = { prompt: 'p', response: 'r', chosen: 'a', rejected: 'b' };
  for (let i = 0; i < 150; i++) {
    const saved = i % 5 === 0 ? randomValue(rng) : Array.from({ length: rng.int(6) }, () => (rng.next() < 0.3 ? { ...good } : randomValue(rng)));
    for (const [fields, what] of [[['prompt', 'response'], 'pairs'], [['prompt', 'chosen', 'rejected'], 'ratings']] as const) {
      await outcome(t, `restore ${what} ${i}`, /^$/, () => restoreRecords<Record<string, string>>(saved, fields, what), (r) => {
        for (const rec of r.records) expect(Object.keys(rec)).toEqual([...fields]);
        expect(r.records.every((rec) => fields.every((f) => isText(rec[f])))).toBe(true);
        if (Array.isArray(saved)) expect(r.records.length + r.dropped).toBe(saved.length);
        if (r.dropped) expect(r.notice).toMatch(Array.isArray(saved) ? new RegExp(`${r.dropped} damaged record`) : /could not be read/);
      });
      const check = what === 'pairs' ? checkPairs : checkPreferences;
      await outcome(w, `worker ${what} ${i}`, /^(The |Too many |pairs \d|rated pairs \d)/, () => check(saved), (records) => {
        expect(records.every((rec) => fields.every((f) => isText((rec as unknown as Record<string, unknown>)[f])))).toBe(true);
      });
    }
  }
  expect(t.tried).toBe(300);
  expect(w.tried).toBe(300);
});

test('the input fuzz tried at least 100 mutants per JSONL reader', () => {
  console.log(`input fuzz: ${JSON.stringify(tallies)}`);
  for (const reader of READERS) expect(tallies[`jsonl ${reader.name}`].tried).toBeGreaterThanOrEqual(100);
});
