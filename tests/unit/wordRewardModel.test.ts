/**
 * The page's reward model, one weight per word: it learns the words that
 * differ between chosen and rejected answers, not the words both share; a
 * word seen in many picks outweighs one seen in a single (noisy) pick; it
 * orders pairs it never saw by those words; ties count half.
 */
import { expect, test } from 'vitest';
import { answerWords, strongestWords, trainWordRewardModel, wordReward, wordRewardAccuracy } from '../../src/engine/wordRewardModel.ts';
import { WORD_REWARD_MODEL } from '../../src/stages/settings.ts';

const pairs = [
  { chosen: 'moss in the red gate', rejected: 'moss in the wet gate' },
  { chosen: 'a red fox by the lake', rejected: 'a fox by the lake' },
  { chosen: 'Red sky, red sea.', rejected: 'Grey sky, calm sea.' },
  { chosen: 'owl on the red step', rejected: 'owl on the step' },
  { chosen: 'moss in the wet gate', rejected: 'moss in the red gate' }, // a noisy pick against the taste: the first, reversed
  { chosen: 'gold leaves fall', rejected: 'leaves fall' },
];

test('words are lower-case runs of letters, each counted once', () => {
  expect([...answerWords("Red, red sky's end!\nthe END")]).toEqual(['red', 'sky', 's', 'end', 'the']);
});

test('it rewards the word most picks prefer, ignores what both answers share, and orders unseen pairs by it', () => {
  const { model, accuracy } = trainWordRewardModel(pairs, WORD_REWARD_MODEL);
  expect(accuracy).toBeGreaterThanOrEqual(5 / 6);
  const { liked, disliked } = strongestWords(model, 3);
  expect(liked[0][0]).toBe('red'); // four picks for it outweigh the one against
  expect(model.weights.the ?? 0).toBe(0); // in both answers of every pair where it appears
  expect(model.weights.fox ?? 0).toBe(0);
  expect(disliked.map(([w]) => w)).toContain('grey');
  expect(wordRewardAccuracy(model, [
    { chosen: 'a red cart', rejected: 'a slow cart' },
    { chosen: 'gold at dawn', rejected: 'rain at dawn' },
  ])).toBe(1);
  expect(wordRewardAccuracy(model, [{ chosen: 'new words only', rejected: 'other words here' }])).toBe(0.5); // it cannot tell: half
  expect(wordReward(model, 'red red red')).toBeCloseTo(wordReward(model, 'red'), 12); // once per word: repeating it earns nothing
  // Deterministic: the same picks give the same weights.
  expect(trainWordRewardModel(pairs, WORD_REWARD_MODEL).model).toEqual(model);
});

test('the penalty keeps weights finite when the picks are perfectly separable, and no pairs is an error', () => {
  const { model } = trainWordRewardModel([{ chosen: 'red', rejected: 'blue' }], WORD_REWARD_MODEL);
  expect(Number.isFinite(model.weights.red)).toBe(true);
  expect(model.weights.red).toBeLessThan(10);
  expect(model.weights.blue).toBeCloseTo(-model.weights.red, 12);
  expect(() => trainWordRewardModel([], WORD_REWARD_MODEL)).toThrow('at least one preference pair');
});
