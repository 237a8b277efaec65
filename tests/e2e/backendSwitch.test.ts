/**
 * Switching backends keeps the model: its weights are carried across as a
 * checkpoint, read asynchronously (TF.js's own move reads synchronously,
 * which WebGPU does not do faithfully: the model then answered <|pad|>).
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { chooseBackend, launch, modelLoaded, open, type Watched } from './browser.ts';

let context: BrowserContext;
let w: Watched;

beforeAll(async () => {
  context = await launch();
  w = await open(context, `${inject('baseUrl')}#seed=1`);
  await modelLoaded(w.page);
  await w.page.getByRole('tab', { name: 'Ask' }).click(); // the first screen is the gap
});

afterAll(async () => {
  await context?.close();
});

async function use(backend: string): Promise<void> {
  await expect.poll(() => w.page.getByLabel('Backend').isEnabled(), { timeout: 120_000 }).toBe(true); // not while the first screen's answers are made
  await chooseBackend(w.page, backend);
}

async function answer(): Promise<string> {
  await w.page.getByRole('button', { name: 'Generate' }).click();
  await w.page.getByTestId('finish').waitFor({ timeout: 120_000 });
  return (await w.page.getByTestId('output').textContent())!;
}

test('the model answers the same on wasm after it ran on WebGPU (its attention shown there)', async () => {
  await use('wasm');
  const first = await answer();
  expect(first).not.toContain('<|pad|>');
  await use('webgpu');
  await w.page.getByRole('button', { name: /^token 3:/ }).click(); // one forward pass on WebGPU
  await w.page.getByTestId('attention').waitFor({ timeout: 120_000 });
  await use('wasm');
  expect(await answer()).toBe(first);
  expect(w.consoleErrors).toEqual([]);
}, 400_000);
