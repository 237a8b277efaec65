/**
 * How many threads the wasm backend runs, and why, decided before TF.js
 * loads its binary (the count is fixed for the page's life: TF.js builds
 * its thread pool once).
 *
 * Threads need memory shared between workers, which a browser allows only
 * on a cross-origin isolated page (COOP and COEP headers, see
 * scripts/isolation.ts); elsewhere, and in Node (TF.js runs wasm on one
 * thread there), it is one thread with the reason said. TF.js starts a pool
 * of 8 thread workers, so more than 8 is not asked for.
 *
 * TF.js also caps its pool at half of `navigator.hardwareConcurrency` (it
 * assumes two hyperthreads a core), read once as its binary starts; Heed's
 * default follows that rule, and `reportingCores` lets a larger count asked
 * for (#threads=N) through by reporting twice as many cores for that moment
 * only. The measured figures are in docs/experiments.md.
 */

/** TF.js's threaded binary preallocates this many thread workers. */
export const MAX_WASM_THREADS = 8;

export interface WasmThreadsPlan {
  threads: number;
  reason: string;
}

export interface ThreadsEnvironment {
  /** `crossOriginIsolated` of the worker or page; undefined outside a browser. */
  isolated: boolean | undefined;
  /** `navigator.hardwareConcurrency`; undefined when unknown. */
  cores: number | undefined;
  /** A count asked for (1 turns threads off); undefined: one per two logical cores. */
  requested?: number;
}

export function planWasmThreads({ isolated, cores, requested }: ThreadsEnvironment): WasmThreadsPlan {
  if (isolated === undefined) return { threads: 1, reason: 'one thread (outside a browser TF.js runs wasm on one thread)' };
  if (!isolated) {
    return {
      threads: 1,
      reason: 'one thread: the page is not cross-origin isolated (its host does not send the headers ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so wasm cannot share memory between threads',
    };
  }
  const logical = Math.max(1, Math.floor(cores ?? 1));
  if (requested !== undefined) {
    const threads = Math.max(1, Math.min(requested, MAX_WASM_THREADS));
    return { threads, reason: threads === 1 ? 'one thread, as asked' : `${threads} threads, as asked (${logical} logical cores)` };
  }
  // One thread per two logical cores (TF.js's own rule: a laptop core usually shows as two hyperthreads), so
  // the page and the browser keep a core; on 2 cores a second thread measured no faster (docs/experiments.md).
  const threads = Math.max(1, Math.min(Math.floor(logical / 2), MAX_WASM_THREADS));
  if (threads === 1) return { threads, reason: `one thread: ${logical} logical core${logical === 1 ? '' : 's'}, and the page needs one (#threads=2 in the link asks for two)` };
  return { threads, reason: `${threads} threads (cross-origin isolated; one per two of ${logical} logical cores)` };
}

/**
 * Run `start` (the wasm backend's first start) while `navigator.hardwareConcurrency` reads 2 x `threads`, so
 * TF.js's halving lands on `threads`; the real value is back as soon as it returns.
 */
export async function reportingCores<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (!nav || threads <= 1) return start();
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    return await start();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency; // the prototype's getter again
  }
}
