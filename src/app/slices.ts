/**
 * Work on the page's main thread cut into tasks, so that no task runs long
 * enough (over 50 ms) to freeze the page: a click that starts a run, on a
 * slow laptop, returns at once and the work follows in short slices.
 */
import type { Pair } from '../../workers/api.ts';

/** Resolves in a later task of the event loop: what comes after it runs once the browser has handled input and painted. */
export const nextTask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * `encodePairs`'s text, made in slices of about `budgetMs` each, every slice
 * in a task of its own (none in the caller's: 3,000 pairs at once is a long
 * task on a slow laptop).
 */
export async function encodePairsInSlices(pairs: Pair[], budgetMs = 8, pause = nextTask): Promise<string> {
  const parts: string[] = [];
  let t0: number | undefined; // undefined: pause before the first slice
  for (const p of pairs) {
    if (t0 === undefined || performance.now() - t0 > budgetMs) {
      await pause();
      t0 = performance.now();
    }
    parts.push(JSON.stringify(p)); // encodePairs writes each pair so
  }
  return `[${parts.join(',')}]`;
}
