/**
 * The threaded wasm factory survives minification: each wasm thread
 * re-evaluates the factory's source on its own, so after the minifier Vite
 * uses (rolldown's) it must still guard its one outside name with `typeof`.
 * The browser test (tests/e2e/threads.test.ts) runs the threads for real.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { minifySync } from 'rolldown/experimental';
import { expect, test } from 'vitest';
import viteConfig from '../../vite.config.ts';
import { ISOLATION_HEADERS, selfContainedFactory } from '../../scripts/isolation.ts';

const FACTORY = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
const source = readFileSync(FACTORY, 'utf8');
const minified = (code: string) => minifySync('factory.js', code).code;

test('minified as shipped, the factory reads a renamed closure variable a thread does not have (the hang)', () => {
  const code = minified(source);
  expect(code).not.toContain('typeof _scriptDir');
  expect(code).toMatch(/\b[a-zA-Z_$]{1,2}!==void 0&&[a-zA-Z_$]{1,2}&&\([a-zA-Z_$]{1,2}=[a-zA-Z_$]{1,2}\)/); // the folded guard
});

test('made self-contained, the factory keeps its typeof guard through minification and reads nothing outside', () => {
  const fixed = selfContainedFactory(source);
  expect(fixed).not.toMatch(/var _scriptDir\b/);
  const code = minified(fixed);
  const guarded = /typeof _scriptDir<`u`&&_scriptDir&&\([a-zA-Z_$]{1,2}=_scriptDir\)/;
  expect(code).toMatch(guarded);
  expect(code.replace(guarded, '')).not.toContain('_scriptDir'); // no read outside the guard
});

test('a changed factory fails the build with a message naming the file', () => {
  expect(() => selfContainedFactory('var x = 1;', 'wasm-out/x.js')).toThrow(/wasm-out\/x.js: the threaded wasm factory changed/);
});

test('vite dev and preview send the cross-origin isolation headers', () => {
  const config = viteConfig as { server?: { headers?: object }; preview?: { headers?: object } };
  expect(ISOLATION_HEADERS).toEqual({ 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
  expect(config.server?.headers).toEqual(ISOLATION_HEADERS);
  expect(config.preview?.headers).toEqual(ISOLATION_HEADERS);
});
