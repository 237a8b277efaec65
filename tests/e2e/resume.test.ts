/**
 * A reload during instruction tuning loses nothing that was saved: the page
 * offers to resume the run from its last probe round (the worker autosaved
 * the model there), with the loss curve and the probe timeline kept, and the
 * resumed run finishes the schedule.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { chooseBackend, launch, modelLoaded, open, type Watched } from './browser.ts';

let context: BrowserContext;
let w: Watched;

beforeAll(async () => {
  context = await launch();
  w = await open(context, `${inject('baseUrl')}#seed=5`);
  await modelLoaded(w.page);
  await chooseBackend(w.page, 'wasm');
});

afterAll(async () => {
  await context?.close();
});

test('a reload mid-SFT offers to resume, keeps the curve and the probe rounds, and finishes the run', async () => {
  const { page } = w;
  await page.getByRole('tab', { name: 'Instruction-tune' }).click();
  await page.getByLabel('SFT steps').fill('8');
  await page.getByLabel('Probe every').fill('2');
  await page.getByRole('button', { name: 'Start SFT' }).click();
  // Rounds at steps 0, 2 and 4: the model was saved at step 4 at the latest.
  await expect.poll(() => page.getByTestId('probe').locator('.round').count(), { timeout: 240_000 }).toBeGreaterThanOrEqual(3);
  page.once('dialog', (d) => void d.accept()); // "leave the page?" during the run: yes
  await page.reload();
  await page.getByTestId('model-info').getByText(/sft, step \d+/).waitFor({ timeout: 60_000 });
  await page.getByRole('tab', { name: 'Instruction-tune' }).click();
  const offer = page.getByTestId('interrupted');
  await offer.waitFor({ timeout: 60_000 });
  const done = Number(/interrupted at step (\d+) of 8/.exec((await offer.textContent())!)![1]);
  expect(done).toBeGreaterThanOrEqual(2);
  expect(done % 2).toBe(0);
  // The curve and the timeline are back before resuming.
  expect(await page.getByRole('img', { name: new RegExp(`^SFT loss \\(answer tokens only\\): step ${done}, loss \\d`) }).count()).toBe(1);
  expect(await page.getByTestId('probe').locator('.round').count()).toBe(done / 2 + 1);
  expect(await page.getByLabel('SFT steps').inputValue()).toBe('8');

  await offer.getByRole('button', { name: `Resume from step ${done}` }).click();
  await page.getByTestId('notice').getByText('Tuned 8 steps.').waitFor({ timeout: 240_000 });
  expect(await page.getByTestId('probe').locator('.round').count()).toBe(5); // 0, 2, 4, 6, 8: none lost, none twice
  expect(await page.getByRole('button', { name: /^step 0:/ }).count()).toBe(1);
  expect(await page.getByRole('img', { name: /^SFT loss \(answer tokens only\): step 8, loss \d/ }).count()).toBe(1);
  expect(await offer.count()).toBe(0);
  // Finished: a reload offers nothing more.
  await page.reload();
  await page.getByTestId('notice').getByText(/Restored your saved model \(sft, step \d+\)/).waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('notice').textContent()).not.toMatch(/interrupted/);
  expect(w.consoleErrors).toEqual([]);
});
