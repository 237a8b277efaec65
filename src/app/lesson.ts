/**
 * The guided lesson: five steps a teacher can run in a class period, each on
 * one of the playground's tabs, each saying in a sentence or two what to
 * notice. Plain data, so the steps read as the lesson plan they are. A link
 * opens it (#lesson=1) and can fix what every laptop shows: the model it
 * starts from (#model=sft-early), the SFT steps and the seed, and hide the
 * engineer's controls (#locked=1).
 */

export type LessonTab = 'gap' | 'meet' | 'pretrain' | 'tune' | 'prefer' | 'compare';

export interface LessonStep {
  title: string;
  tab: LessonTab;
  /** What to do and what to notice, for the learner. */
  notice: string;
  /** Show the glossary of the checks' terms with this step. */
  glossary?: boolean;
}

export const LESSON: readonly LessonStep[] = [
  {
    title: 'Meet the base model and its failure',
    tab: 'gap',
    notice: 'Both models saw the same words. Notice that the base model does not answer: it carries on as if your request were the first line of a web page. Nothing is wrong with it; continuing text is all it was trained to do.',
  },
  {
    title: 'Instruction-tune it, live',
    tab: 'tune',
    notice: 'Press Start SFT and watch the probe answers below the curve. Notice the order things are learned in: first the shape of an answer (it stops continuing the document), then the three lines, and last the syllable counts. The line above the answers says since which step each part has passed, and when all three first passed in one answer: that is the flip. The loss counts only the answer tokens.',
  },
  {
    title: 'Measure it with the held-out checks',
    tab: 'compare',
    notice: 'One answer is an anecdote. Run the held-out checks on two models: 120 prompts the model never trained on, each checked by a program. Read the glossary before the numbers, and notice which types improved and which did not.',
    glossary: true,
  },
  {
    title: 'Be the human in RLHF',
    tab: 'prefer',
    notice: 'You are now the source of the reward. Pick the better of two answers a dozen times, then train a reward model on your picks. Notice how often your taste and the checks agree, and how few picks a reward model has to learn from.',
  },
  {
    title: 'Compare all the stages',
    tab: 'compare',
    notice: 'Put the shipped base, the half-tuned sft-early and the tuned sft side by side, and your own model beside them. Notice that the same network, with the same size, changes behaviour only through what it was trained on.',
  },
];

/** The checks' words, for the measuring step and the Compare tab. */
export const GLOSSARY: readonly [string, string][] = [
  ['Held-out', 'Prompts kept out of training (other topics, other wordings), so a score says whether the model learned the skill, not whether it remembered the examples.'],
  ['Prompt level', 'A prompt counts as followed only when every instruction in it is followed: "a haiku about the sea, in lowercase" needs both.'],
  ['Instruction level', 'Each instruction is counted on its own, so the haiku that forgot lowercase still gets credit for the haiku.'],
  ['Strict', 'The answer is checked exactly as written.'],
  ['Loose', 'The answer also passes if it would pass after small clean-ups (dropping a first or last line, removing * markdown), as in Google\'s IFEval.'],
  ['Vacuous pass', 'An instruction that is met by doing nothing: a base model "follows" "do not use the word cloud" by writing about anything else. That is why a base model can score well on forbidden words.'],
];
