/**
 * What the page restores from IndexedDB is checked: an autosaved model whose
 * logits are not finite is refused with a notice (the base model opens
 * instead), and damaged saved pairs and ratings are dropped and counted;
 * every panel still works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launch, modelLoaded, open, type Watched } from './browser.ts';
import { readCheckpoint, writeCheckpoint } from '../../src/engine/checkpoint.ts';

let context: BrowserContext;
let w: Watched;

/** models/base.heed with one weight of h.0.ln_1.weight set to 3e38: finite, its checksum consistent, but the logits are not finite. */
function hugeWeightCheckpoint(): string {
  const { header, tokenizer, arrays } = readCheckpoint(new Uint8Array(readFileSync(join(process.cwd(), 'models', 'base.heed'))));
  arrays.get('h.0.ln_1.weight')![0] = 3e38;
  return Buffer.from(writeCheckpoint(header.config, tokenizer, header, arrays)).toString('base64');
}

const ready = async () => {
  await w.page.getByTestId('backend').getByText('Backend:').waitFor({ timeout: 60_000 });
  await modelLoaded(w.page);
};

beforeAll(async () => {
  context = await launch();
  w = await open(context, inject('baseUrl'));
  await ready();
  await w.page.evaluate(async (checkpoint) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('heed', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('kv');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const bytes = Uint8Array.from(atob(checkpoint), (c) => c.charCodeAt(0));
    const store = db.transaction('kv', 'readwrite').objectStore('kv');
    store.put(bytes, 'checkpoint');
    store.put([null, { prompt: 5 }, { prompt: 'Say hi.', response: 'hi' }], 'pairs');
    store.put([null, 5], 'ratings');
    await new Promise((r) => (store.transaction.oncomplete = r));
    db.close();
  }, hugeWeightCheckpoint());
  await w.page.reload();
  await ready();
});

afterAll(async () => {
  await context?.close();
});

test('a damaged autosave is refused and said so; damaged pairs and ratings are dropped and counted', async () => {
  const notice = w.page.getByTestId('notice');
  // Three restores run at start-up; each adds its sentence to the notice.
  await expect.poll(async () => {
    const t = (await notice.textContent()) ?? '';
    return ['saved model', 'saved pairs', 'saved ratings'].every((part) => t.includes(part));
  }, { timeout: 30_000 }).toBe(true);
  const text = (await notice.textContent())!;
  expect(text).toMatch(/Restored 1 saved pairs; 2 damaged records were dropped/);
  expect(text).toMatch(/Your saved model could not be restored \(checkpoint: the model gives non-finite outputs/);
  expect(text).toMatch(/Restored 0 saved ratings; 2 damaged records were dropped/);
  expect(await w.page.getByTestId('model-info').textContent()).toMatch(/pretrain, step \d+/); // the base model opened
  await w.page.getByRole('tab', { name: 'Instruction-tune' }).click();
  expect(await w.page.getByTestId('pair-count').textContent()).toBe('1 pairs');
  await w.page.getByRole('tab', { name: 'Preference-tune' }).click();
  await w.page.getByRole('tab', { name: 'Ask' }).click();
  await w.page.getByRole('button', { name: 'Generate' }).click();
  await w.page.getByTestId('finish').waitFor({ timeout: 60_000 });
  expect(w.consoleErrors).toEqual([]);
});
