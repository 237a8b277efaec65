/**
 * In-context copying: how well a model predicts a made-up word the second and
 * third time it appears, against the first. A model that copies from its
 * context (what Olsson et al. 2022 trace to "induction heads") predicts the
 * repeats at a small fraction of the first appearance's loss; one that does
 * not scores them alike. Writing about a subject it was never tuned on needs
 * this skill, and SFT cannot teach it in a few hundred steps, so it is the
 * base's figure to watch while pretraining (`heed pretrain` prints it with
 * each validation loss).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../engine/model.ts';
import { tokenLogProbs } from '../engine/ops.ts';
import { Rng } from '../engine/rng.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { nonceWord } from '../data/nonceWords.ts';

/** Sentences that name a made-up word three times ({w}); none is a corpus genre's wording. */
const TEMPLATES = [
  'I found a {w} in the garden. The {w} was small, and I gave the {w} some water.',
  'Have you seen my {w}? I left the {w} on the table. That {w} is mine.',
  'Today we learn the word {w}. Say {w} out loud, then write {w} on the board.',
];

export interface CopyingScore {
  /** Mean loss (nats per character) on a made-up word's first appearance, its first letter left out. */
  first: number;
  /** The same on its later appearances. */
  repeats: number;
  /** repeats / first: near 1 without copying, small with it. */
  ratio: number;
}

/**
 * Copying on `count` made-up words (fixed seed: the same words for every
 * model); undefined when the model's context is too short for the sentences.
 */
export async function copyingScore(model: GPT, tokenizer: CharTokenizer, count = 24, seed = 5): Promise<CopyingScore | undefined> {
  const rng = new Rng(seed);
  let [first, repeats, nFirst, nRepeats] = [0, 0, 0, 0];
  for (let k = 0; k < count; k++) {
    const w = nonceWord(rng);
    const text = TEMPLATES[k % TEMPLATES.length].replaceAll('{w}', w);
    const ids = [tokenizer.special('<|doc|>'), ...tokenizer.encode(text)];
    if (ids.length > model.config.blockSize) return undefined;
    // Entry i is the log-probability of ids[i + 1], the text's character i.
    const lp = tf.tidy(() => {
      const x = tf.tensor2d([ids.slice(0, -1)], [1, ids.length - 1], 'int32');
      return tokenLogProbs(model.forward(x).logits, tf.tensor1d(ids.slice(1), 'int32'));
    });
    const logp = await lp.data();
    lp.dispose();
    let at = text.indexOf(w);
    for (let n = 0; at >= 0; n++, at = text.indexOf(w, at + w.length)) {
      for (let i = at + 1; i < at + w.length; i++) {
        const loss = -logp[i];
        if (n === 0) (first += loss), nFirst++;
        else (repeats += loss), nRepeats++;
      }
    }
  }
  const score = { first: first / nFirst, repeats: repeats / nRepeats };
  return { ...score, ratio: score.repeats / score.first };
}
