/**
 * The lesson in the browser, timed: from the shipped base, press Start SFT
 * with the page's defaults (wasm) and wait for the autumn probe's ✓. Minutes
 * long, so `npm test` skips it; `npm run test:shift` runs it and prints one
 * JSON line with the steps and the seconds it took (training time as the page
 * shows it, probes excluded, and wall time including them).
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, expect, inject, test } from 'vitest';
import { chooseBackend, launch, open, screenshot } from './browser.ts';
import { LESSON_SFT } from '../../src/datasets/lesson.ts';
import { ALL_PARTS } from '../../src/eval/headline.ts';

let context: BrowserContext | undefined;
afterAll(async () => {
  await context?.close();
});

test.skipIf(!process.env.HEED_SHIFT)('from the shipped base, the page\'s default SFT run flips the autumn probe', async () => {
  context = await launch();
  const { page } = await open(context, `${inject('baseUrl')}`);
  await page.getByTestId('model-info').getByText(/pretrain, step \d+/).waitFor({ timeout: 60_000 });
  await chooseBackend(page, 'wasm');
  await page.getByRole('tab', { name: 'Instruction-tune' }).click();
  expect(await page.getByLabel('SFT steps').inputValue()).toBe(String(LESSON_SFT.steps));
  const started = Date.now();
  await page.getByRole('button', { name: 'Start SFT' }).click();
  // The flip is the round whose answer passes all three parts at once; the parts alone pass earlier ("about autumn" in five lines).
  const flip = new RegExp(`✓ ${ALL_PARTS} since step (\\d+)`);
  const autumn = page.getByTestId('milestones').getByText(flip);
  const done = page.getByTestId('notice').getByText(/^Tuned \d+ steps/);
  await Promise.race([autumn.waitFor({ timeout: 570_000 }), done.waitFor({ timeout: 570_000 })]);
  const wallSeconds = Math.round((Date.now() - started) / 1000);
  const milestones = (await page.getByTestId('milestones').textContent()) ?? '';
  const progress = (await page.getByTestId('sft-progress').textContent()) ?? '';
  await screenshot(page, 'shift-autumn');
  const step = flip.exec(milestones)?.[1];
  const training = /training ((?:\d+ min )?\d+ s)/.exec(progress)?.[1];
  console.log(JSON.stringify({ backend: 'wasm', stepsToAutumn: step ? Number(step) : null, trainingTime: training ?? null, wallSeconds, milestones: milestones.replace(/\s+/g, ' ').trim() }));
  expect(step, milestones).toBeDefined();
}, 600_000);
