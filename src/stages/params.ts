/**
 * A stage's settings as one table (TensorFlow Playground's state table):
 * each setting's flag, its label on the page, default, range, unit and help,
 * written once. The CLI parses and documents its flags from it
 * (scripts/lib/args.ts `flag`, `flagHelp`), the worker checks requests against
 * it (workers/validate.ts `checkParam`) and the page's number inputs take
 * their label, min, max and step from it (src/ui/NumberField.svelte).
 * Messages keep each side's words: "--lr must be a number in [lo, hi]" on the
 * command line, "Learning rate must be a number between lo and hi" on the page.
 */

export interface Param {
  /** The CLI flag, without the dashes. */
  flag: string;
  /** The page's name for it, also the subject of the worker's messages. */
  label: string;
  default: number;
  min: number;
  max: number;
  integer?: boolean;
  /** What one of it counts (steps, pairs), shown beside the input. */
  unit?: string;
  /** The page input's step (arrow keys); whole numbers step by 1. */
  step?: number;
  help: string;
}

/** Widest ranges every stage shares, so the CLI and the page refuse the same values. */
export const LIMITS = {
  /** 100,000 steps: far past any recipe here (the shipped SFT is 6,000), short of a run that outlives a tab. */
  steps: [1, 100_000],
  /** AdamW above 0.1 diverges on every stage here; the floor lets preference stages nudge a tuned model. */
  lr: [1e-7, 0.1],
  /** 256 rows: 16 is the largest any recipe uses; more would only exhaust a laptop's memory in the page. */
  batch: [1, 256],
  seed: [0, 2 ** 31],
} as const;

export const stepsParam = (def: number, help = 'training steps'): Param => ({
  flag: 'iters', label: 'Steps', default: def, min: LIMITS.steps[0], max: LIMITS.steps[1], integer: true, unit: 'steps', help,
});
export const lrParam = (def: number, min: number = LIMITS.lr[0], help = 'peak learning rate'): Param => ({
  flag: 'lr', label: 'Learning rate', default: def, min, max: LIMITS.lr[1], step: 0.0001, help,
});
export const batchParam = (def: number): Param => ({
  flag: 'batch', label: 'Batch size', default: def, min: LIMITS.batch[0], max: LIMITS.batch[1], integer: true, help: 'examples per step',
});
export const seedParam = (def = 1): Param => ({
  flag: 'seed', label: 'Seed', default: def, min: LIMITS.seed[0], max: LIMITS.seed[1], integer: true, help: 'seed of the data order and sampling',
});

/** The defaults of a table, keyed by its keys. */
export function defaults<K extends string>(table: Record<K, Param>): Record<K, number> {
  return Object.fromEntries(Object.entries<Param>(table).map(([k, p]) => [k, p.default])) as Record<K, number>;
}

/** One line of --help: "--lr X   peak learning rate (default 0.002, 1e-7..0.1)", help aligned. */
export function paramHelp(p: Param): string {
  const range = p.integer && p.max >= 2 ** 31 ? '' : `, ${p.min}..${p.max}`;
  return `${`--${p.flag} ${p.integer ? 'N' : 'X'}`.padEnd(22)} ${p.help} (default ${p.default}${range})`;
}
