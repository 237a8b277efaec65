/**
 * Threads for the wasm backend: the two headers that make a page
 * cross-origin isolated (so it may share memory between threads), and a
 * build-only Vite plugin that keeps TF.js's threaded wasm from hanging in a
 * minified build.
 *
 * Why it hung: tfjs-backend-wasm starts each thread (an Emscripten pthread
 * worker) by sending it the *source text* of its threaded module factory
 * (`factory.toString()`), which the thread evaluates on its own. Upstream,
 * that factory reads one variable of its enclosing closure, `_scriptDir`,
 * behind a `typeof _scriptDir !== "undefined"` guard. A minifier that sees
 * the variable declared folds the guard into `e !== void 0` (after renaming
 * it `e`); evaluated alone in the thread, `e` is not declared, the thread
 * throws before it reports "loaded", and the backend waits for all eight
 * of its threads forever. The plugin removes the closure variable before
 * the bundler sees the file, so the guard reads an undeclared global that
 * no minifier may fold. In a worker `_scriptDir` was always undefined
 * (it comes from `document.currentScript`), so nothing else changes.
 * The build fails, saying so, if a TF.js update changes the text.
 */
import type { Plugin } from 'vite';

/** Headers that make a page cross-origin isolated; a static host must send both on every file. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const THREADED_FACTORY = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;

/** The closure variable's two declaration lines (tfjs-backend-wasm 4.22), and its one unguarded read. */
const DECLARATION = /\n\s*var _scriptDir = [^\n]*\n\s*if \(typeof __filename !== 'undefined'\) _scriptDir = [^\n]*\n/;
const UNGUARDED_READ = 'Module["mainScriptUrlOrBlob"]||_scriptDir';

/** The threaded factory's source with no reference to its enclosing closure; throws if the text is not the known one. */
export function selfContainedFactory(source: string, file = 'tfjs-backend-wasm-threaded-simd.js'): string {
  if (!DECLARATION.test(source) || !source.includes(UNGUARDED_READ)) {
    throw new Error(`${file}: the threaded wasm factory changed (no _scriptDir declaration or read to remove); ` +
      'check scripts/isolation.ts against the new tfjs-backend-wasm before building with threads');
  }
  // tfjs always sets mainScriptUrlOrBlob for the threaded binary, so the fallback is never read.
  return source.replace(DECLARATION, '\n').replace(UNGUARDED_READ, 'Module["mainScriptUrlOrBlob"]');
}

export const threadedWasm = (): Plugin => ({
  name: 'heed-threaded-wasm',
  apply: 'build',
  transform(code, id) {
    if (!THREADED_FACTORY.test(id.split('?')[0])) return null;
    return { code: selfContainedFactory(code, id), map: null };
  },
});
