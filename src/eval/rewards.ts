/**
 * Rewards for RL on a prompt: the share of its instructions an answer follows
 * (the strict checks: "verifiable rewards"), or a reward model's score of the
 * answer in the chat template.
 */
import { renderChat } from '../data/chat.ts';
import { type RewardModel, scoreSequences } from '../engine/rewardModel.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { type InputExample, scorePrompt } from './score.ts';

export function checksReward(e: InputExample): (answer: string) => number {
  return (answer) => {
    const followed = scorePrompt(e, answer).strict.follow_instruction_list;
    return followed.filter(Boolean).length / followed.length;
  };
}

export function modelReward(rm: RewardModel, tokenizer: CharTokenizer, prompt: string): (answer: string) => Promise<number> {
  const o = { batchSize: 1, pad: tokenizer.special('<|pad|>'), blockSize: rm.trunk.config.blockSize };
  return async (answer) => (await scoreSequences(rm, [renderChat(tokenizer, [{ role: 'user', content: prompt }, { role: 'assistant', content: answer }])], o))[0];
}
