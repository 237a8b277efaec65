/**
 * Offline after the first visit: load the built app once (its service worker
 * precaches everything), take the browser off the network, reload, open the
 * shipped sft model and generate. Nothing may need the server again.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launch, modelLoaded, open, openSettings, type Watched } from './browser.ts';

let context: BrowserContext;
let w: Watched;

beforeAll(async () => {
  context = await launch();
  w = await open(context, inject('baseUrl'));
});

afterAll(async () => {
  await context?.close();
});

test('after one visit the app loads, opens a shipped model and generates with the network gone', async () => {
  const { page } = w;
  // The service worker is active once its install (the precache of every file) has finished.
  // `ready` resolves once a worker is active, which may still be 'activating': wait for 'activated'.
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state), { timeout: 60_000 }).toBe('activated');
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    const cache = await caches.open(keys.find((k) => k.startsWith('heed-'))!);
    return { files: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
  expect(cached.files.filter((f) => f.endsWith('.heed'))).toHaveLength(4);
  expect(cached.files.some((f) => f.endsWith('.wasm'))).toBe(true);

  await context.setOffline(true);
  try {
    await page.reload();
    await modelLoaded(page);
    await page.getByTestId('gap-tuned-verdict').waitFor({ timeout: 120_000 }); // the first screen, offline
    await openSettings(page);
    await page.getByRole('button', { name: 'Load shipped sft', exact: true }).click();
    await page.getByTestId('notice').getByText('Loaded the shipped sft model.').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Ask' }).click();
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByTestId('finish').waitFor({ timeout: 60_000 });
    expect((await page.getByTestId('output-text').textContent())!.length).toBeGreaterThan('The model wrote: '.length + 10);
    expect(await page.getByTestId('error').count()).toBe(0);
  } finally {
    await context.setOffline(false);
  }
  expect(w.consoleErrors).toEqual([]);
});
