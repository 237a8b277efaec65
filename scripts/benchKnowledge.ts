/**
 * npm run bench:knowledge — does a base know the held-out topics' related
 * words, which held-out haiku need and SFT cannot teach (src/eval/knowledge.ts)?
 * Completes a word list's entry ("fog:") and answers the corpus's question
 * ("Q: What goes with the fog?") and writes a worksheet's haiku ("Write a
 * haiku about fog." / "Answer:") for each held-out topic, as documents,
 * greedily; then asks the held-out haiku suite's 40 prompts as worksheet
 * items and scores them by its checks (what SFT has to unlock). Ends with
 * one JSON line.
 * Flags: --model NAME|FILE (base) --backend NAME (wasm) --all (every topic, the training ones too)
 */
import { loadCheckpoint } from '../src/engine/checkpoint.ts';
import { topicKnowledge, worksheetHaiku } from '../src/eval/knowledge.ts';
import { suiteByName } from '../src/eval/suite.ts';
import { TOPICS } from '../src/data/topics.ts';
import { parse, str } from './lib/args.ts';
import { readModelBytes } from './lib/models.ts';
import { machineDescription } from './lib/node.ts';
import { startBackend } from './lib/session.ts';

const v = parse(process.argv.slice(2), { model: { type: 'string' }, backend: { type: 'string' }, all: { type: 'boolean' } });
const name = str(v, 'model', 'base')!;
const info = await startBackend(str(v, 'backend', 'wasm')!, false);
const { model, tokenizer } = await loadCheckpoint(readModelBytes(name).bytes);
const started = performance.now();
const r = await topicKnowledge(model, tokenizer, v.all ? TOPICS.map((t) => t.name) : undefined);
for (const e of r.examples) console.log(`${e.topic}: ${e.list}   |   ${e.qa}   |   ${e.poem}`);
console.log(`${name}: names a related word for ${r.knownInList} of ${r.topics} ${v.all ? '' : 'held-out '}topics in a word list, ${r.knownInQa} asked as Q&A, ${r.knownInPoem} in a haiku`);
const sheet = await worksheetHaiku(model, tokenizer, suiteByName('haiku-heldout'));
for (const e of sheet.examples) console.log(e);
console.log(`${name}: writes ${sheet.passed} of ${sheet.asked} held-out haiku (haiku-heldout, strict) asked as its worksheets ask`);
console.log(JSON.stringify({
  model: name, topicsAsked: v.all ? 'all' : 'heldout', knownInList: r.knownInList, knownInQa: r.knownInQa, knownInPoem: r.knownInPoem, topics: r.topics, heldoutHaikuAsWorksheet: sheet.passed / sheet.asked, seconds: Math.round((performance.now() - started) / 1000), backend: info.name, machine: machineDescription(),
}));
model.dispose();
