/**
 * The reward model: read at each answer's last token; Bradley-Terry training
 * orders a toy preference set. On cpu and wasm: wasm's oneHot once zeroed the
 * read-out (every reward equal, loss stuck at ln 2) while cpu was right.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { renderChat } from '../../src/data/chat.ts';
import { GPT } from '../../src/engine/model.ts';
import { RewardModel, bradleyTerry, rewardAccuracy, rewardBatch, scoreSequences, trainRewardModel } from '../../src/engine/rewardModel.ts';
import { CharTokenizer } from '../../src/engine/tokenizer.ts';
import { useBackend, values } from './helpers.ts';

const tok = CharTokenizer.ascii();
const pad = tok.special('<|pad|>');
const config = { vocabSize: tok.vocabSize, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16 };
const seq = (prompt: string, answer: string) => renderChat(tok, [{ role: 'user', content: prompt }, { role: 'assistant', content: answer }]);

describe.each(['cpu', 'wasm'] as const)('reward model on %s', (backend) => {
  test('Bradley-Terry loss by hand, and the reward is read at the last real token whatever the padding', async () => {
    await useBackend(backend);
    const l = (await values(bradleyTerry(tf.tensor1d([2, 0, 1, 1]))))[0]; // margins 1 and -1
    expect(l).toBeCloseTo((Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(1))) / 2, 6);
    const rm = new RewardModel(GPT.create(config, 1), 1);
    const short = seq('Hi', 'ok');
    const long = seq('Hello there', 'a much longer answer');
    const alone = await scoreSequences(rm, [short], { batchSize: 1, pad, blockSize: 32 });
    const padded = await scoreSequences(rm, [short, long], { batchSize: 2, pad, blockSize: 32 });
    expect(padded[0]).toBeCloseTo(alone[0], 5);
    expect(Math.abs(padded[1] - padded[0])).toBeGreaterThan(1e-4); // the head reads real features, not zeros
    const b = rewardBatch([short], 32, pad);
    expect((await values(b.last))[0]).toBe(short.ids.length - 1);
    expect((await values(b.x))[short.ids.length - 1]).toBe(tok.special('<|end|>'));
    tf.dispose(b);
    rm.dispose();
  });

  test('training on a toy preference set lowers the loss and raises held-out accuracy', async () => {
    await useBackend(backend);
    // Preferred: answers in lowercase; rejected: the same in capitals.
    const words = ['river', 'stone', 'cloud', 'maple', 'ember', 'field', 'night', 'grass', 'honey', 'frost', 'candle', 'meadow'];
    const pairs = words.map((w, i) => ({ chosen: seq(`Word ${i}?`, w), rejected: seq(`Word ${i}?`, w.toUpperCase()) }));
    const [trainPairs, heldOut] = [pairs.slice(0, 8), pairs.slice(8)];
    const o = { batchSize: 4, seed: 1, pad, blockSize: 32, heldOut };
    const untrained = new RewardModel(GPT.create(config, 2), 1); // the same start as below: trunk seed 2, head seed 1
    const before = await rewardAccuracy(untrained, heldOut, o);
    untrained.dispose();
    const start = tf.memory().numTensors;
    const { rm, result: r } = await trainRewardModel(GPT.create(config, 2), trainPairs, { iters: 60, lr: 5e-3, batchSize: 4, seed: 1, pad, heldOut });
    const after = await rewardAccuracy(rm, heldOut, o);
    expect(after.rmLoss).toBeLessThan(before.rmLoss * 0.5);
    expect(after.rmAccuracy).toBe(1);
    expect(r.lastEval?.rmAccuracy).toBe(1);
    r.optimizer.dispose();
    rm.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
