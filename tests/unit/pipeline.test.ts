/**
 * The lesson in miniature, on CPU in CI: pretrain a tiny model on the
 * built-in corpus, instruction-tune it on haiku pairs about common nouns (as
 * the lesson's are), and watch the form shift on the held-out haiku prompts
 * (topics and phrasings never tuned on), greedy, from fixed seeds: the base
 * model continues the document, the tuned one answers with a three-line poem.
 * Counting 5-7-5 over varied lines and copying the topic need more than this
 * miniature learns in CI's time (with the old bank of four closing lines it
 * learnt the count by heart; the reference haiku are poems now).
 */
import { expect, test } from 'vitest';
import { renderChat } from '../../src/data/chat.ts';
import { buildCorpus, corpusTokens } from '../../src/datasets/corpus.ts';
import { makeSftPairs } from '../../src/datasets/pairs.ts';
import { tenthCosine } from '../../src/engine/optim.ts';
import { GPT } from '../../src/engine/model.ts';
import { pretrainStage, splitTokens } from '../../src/engine/pretrain.ts';
import { sftStage } from '../../src/engine/sft.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { train } from '../../src/engine/train.ts';
import { evaluateModel } from '../../src/eval/run.ts';
import { hasPoemForm } from '../../src/eval/label.ts';
import { suiteByName } from '../../src/eval/suite.ts';
import { useBackend } from './helpers.ts';

const PRETRAIN = 500;
const SFT = 300;


test('a miniature pipeline: the base model continues the document, the tuned one answers with a three-line poem', async () => {
  await useBackend('wasm');
  const tok = CharTokenizer.ascii();
  const data = splitTokens(corpusTokens(tok, buildCorpus(1, 300_000)), 0.05);
  const model = GPT.create({ vocabSize: tok.vocabSize, blockSize: 128, nLayer: 2, nHead: 2, nEmbd: 64 }, 1);
  await train(model, pretrainStage(data, { batchSize: 8, blockSize: 128, seed: 1 }), {
    iters: PRETRAIN, clip: 1, schedule: { lr: 3e-3, minLr: 3e-4, warmup: 30, decaySteps: PRETRAIN },
  });
  const suite = suiteByName('haiku-heldout').slice(0, 20);
  const base = await evaluateModel(model, tok, suite, { maxNewTokens: 80, format: 'document' });
  // Haiku pairs about common nouns, as the lesson's are, at a tiny model's rate.
  const pairs = makeSftPairs(1, 3000, { subjectShare: 1, haikuShare: 1 });
  const seqs = pairs.map((e) => renderChat(tok, [{ role: 'user', content: e.prompt }, { role: 'assistant', content: e.response }]));
  await train(model, sftStage(seqs, { batchSize: 16, seed: 1, pad: tok.special('<|pad|>'), blockSize: 128 }), {
    iters: SFT, clip: 1, schedule: tenthCosine(2e-3, SFT, 20),
  });
  const tuned = await evaluateModel(model, tok, suite, { maxNewTokens: 80 });
  const poems = (r: typeof base) => r.results.filter((x) => hasPoemForm(x.prompt, x.response)).length / r.results.length;
  console.log(`miniature: three-line poems base ${poems(base)}, tuned ${poems(tuned)}; labels base ${JSON.stringify(base.labels)}, tuned ${JSON.stringify(tuned.labels)}`);
  expect(poems(base)).toBeLessThanOrEqual(0.1);
  expect(poems(tuned)).toBeGreaterThanOrEqual(0.3); // 8 of 20 on 2026-11-30
  expect(tuned.labels.more_instructions).toBe(0);
  model.dispose();
}, 600_000);
