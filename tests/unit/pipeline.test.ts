/**
 * The lesson in miniature, on CPU in CI: pretrain a tiny model on the
 * built-in corpus, instruction-tune it with the lesson recipe's pairs, and watch the shift on
 * the held-out haiku prompts (topics and phrasings never tuned on), greedy,
 * from fixed seeds. The base model continues the document; the tuned one
 * answers with a haiku's shape (three lines, the second and third 7 and 5
 * syllables). Full compliance also needs the topic copied into the first
 * line, which this miniature does not learn in CI's time (see the README).
 */
import { expect, test } from 'vitest';
import { renderChat } from '../../src/data/chat.ts';
import { buildCorpus, corpusTokens } from '../../src/data/corpus.ts';
import { makeSftPairs } from '../../src/data/pairs.ts';
import { LESSON_SFT } from '../../src/data/lesson.ts';
import { tenthCosine } from '../../src/engine/optim.ts';
import { lineSyllables } from '../../src/data/syllables.ts';
import { GPT } from '../../src/engine/model.ts';
import { pretrainStage, splitTokens } from '../../src/engine/pretrain.ts';
import { sftStage } from '../../src/engine/sft.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { train } from '../../src/engine/train.ts';
import { evaluateModel } from '../../src/eval/run.ts';
import { suiteByName } from '../../src/eval/suite.ts';
import { useBackend } from './helpers.ts';

const PRETRAIN = 500;
const SFT = 300;

/** A haiku's shape: three lines, the last two of 7 and 5 syllables. */
const haikuShaped = (r: string) => {
  const lines = r.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.length === 3 && lineSyllables(lines[1]) === 7 && lineSyllables(lines[2]) === 5;
};

test('a miniature pipeline: the base model continues the document, the tuned one answers in haiku form', async () => {
  await useBackend('wasm');
  const tok = CharTokenizer.ascii();
  const data = splitTokens(corpusTokens(tok, buildCorpus(1, 300_000)), 0.05);
  const model = GPT.create({ vocabSize: tok.vocabSize, blockSize: 128, nLayer: 2, nHead: 2, nEmbd: 64 }, 1);
  await train(model, pretrainStage(data, { batchSize: 8, blockSize: 128, seed: 1 }), {
    iters: PRETRAIN, clip: 1, schedule: { lr: 3e-3, minLr: 3e-4, warmup: 30, decaySteps: PRETRAIN },
  });
  const suite = suiteByName('haiku-heldout').slice(0, 20);
  const base = await evaluateModel(model, tok, suite, { maxNewTokens: 80, format: 'document' });
  // The lesson recipe's pairs and schedule (src/data/lesson.ts), at a tiny model's batch.
  const pairs = makeSftPairs(LESSON_SFT.seed, 3000, LESSON_SFT.mix);
  const seqs = pairs.map((e) => renderChat(tok, [{ role: 'user', content: e.prompt }, { role: 'assistant', content: e.response }]));
  await train(model, sftStage(seqs, { batchSize: 16, seed: 1, pad: tok.special('<|pad|>'), blockSize: 128 }), {
    iters: SFT, clip: 1, schedule: tenthCosine(LESSON_SFT.lr, SFT, LESSON_SFT.warmup),
  });
  const tuned = await evaluateModel(model, tok, suite, { maxNewTokens: 80 });
  const shaped = (r: typeof base) => r.results.filter((x) => haikuShaped(x.response)).length / r.results.length;
  console.log(`miniature: haiku-shaped base ${shaped(base)}, tuned ${shaped(tuned)}; labels base ${JSON.stringify(base.labels)}, tuned ${JSON.stringify(tuned.labels)}`);
  expect(shaped(base)).toBeLessThanOrEqual(0.1);
  expect(shaped(tuned)).toBeGreaterThanOrEqual(0.6);
  expect(tuned.labels.more_instructions).toBe(0);
  model.dispose();
}, 600_000);
