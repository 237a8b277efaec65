/**
 * The page's plain-language names for models: what a stage means to a
 * learner ("base model — not instruction-tuned"), and a line on each shipped
 * checkpoint for the settings menu. Engine names (pretrain, sft, step 3000)
 * stay beside them in smaller print for those who want them.
 */

const STAGE_WORDS: Record<string, string> = {
  pretrain: 'base model — not instruction-tuned',
  sft: 'instruction-tuned model',
  dpo: 'preference-tuned model (DPO)',
  rl: 'preference-tuned model (RL)',
  imported: 'imported model',
};

/** "base model — not instruction-tuned" for stage 'pretrain'; an unknown stage is shown as it is. */
export const stageWords = (stage: string): string => STAGE_WORDS[stage] ?? `${stage} model`;

const SHIPPED_WORDS: Record<string, string> = {
  base: 'Pretrained only: continues any text as a document. The starting point.',
  'sft-early': 'Halfway through instruction tuning: half-learned, often almost right.',
  sft: 'Fully instruction-tuned: answers haiku, bullets, lines and one-word requests.',
  pref: 'The tuned model after a short RL run rewarded by a reward model fitted to 30 picks of a learner who likes colour words.',
};

/** One line on what a shipped model is, for the settings menu. */
export const shippedWords = (name: string, stage: string): string => SHIPPED_WORDS[name] ?? stageWords(stage);
