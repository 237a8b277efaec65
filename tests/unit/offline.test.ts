/** The generated service worker: what it precaches and when its cache changes name. */
import { expect, test } from 'vitest';
import { SERVICE_WORKER, precached, serviceWorkerSource } from '../../scripts/offline.ts';

const FILES = ['index.html', 'assets/index-abc.js', 'assets/sft-123.heed', 'assets/tfjs-backend-wasm-simd-9.wasm', 'favicon.svg', SERVICE_WORKER];

test('precaches the page, every built file and the page\'s root, but not itself', () => {
  const list = precached(serviceWorkerSource(FILES, '<html>'));
  expect(list).toEqual(['./', './assets/index-abc.js', './assets/sft-123.heed', './assets/tfjs-backend-wasm-simd-9.wasm', './favicon.svg', './index.html']);
});

test('a new build (other files, or another index.html) gets a new cache name; the same build the same', () => {
  const cache = (files: string[], html: string) => /const CACHE = '(heed-[0-9a-f]{16})'/.exec(serviceWorkerSource(files, html))![1];
  expect(cache(FILES, '<html>')).toBe(cache([...FILES].reverse(), '<html>'));
  expect(cache(FILES, '<html>')).not.toBe(cache(FILES, '<html lang="en">'));
  expect(cache(FILES, '<html>')).not.toBe(cache([...FILES, 'assets/base-456.heed'], '<html>'));
});
