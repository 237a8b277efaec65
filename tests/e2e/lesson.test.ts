/**
 * The guided lesson: a teacher's link opens it at step 1 with its settings
 * fixed (the shipped model, SFT steps, seed) and the engineer's controls
 * hidden; each step opens its tab and says what to notice; the measuring
 * step carries the glossary. Screenshots of every step at 1366 and 390 px.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launch, open, screenshot, shippedStep } from './browser.ts';

let context: BrowserContext;

beforeAll(async () => {
  context = await launch();
});

afterAll(async () => {
  await context?.close();
});

const TABS = ['Base vs tuned', 'Instruction-tune', 'Compare', 'Preference-tune', 'Compare'];

test('a locked lesson link opens the lesson with its settings, one step and tab at a time', async () => {
  const { page, consoleErrors } = await open(context, `${inject('baseUrl')}#lesson=1&model=sft-early&sftIters=40&seed=7&locked=1`);
  await page.getByTestId('model-info').getByText(`Loaded: shipped sft-early: instruction-tuned model (sft, step ${shippedStep('sft-early')}`).waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('settings').count()).toBe(0); // no settings menu, no shipped-model buttons
  const lesson = page.getByTestId('lesson');
  for (const [i, tab] of TABS.entries()) {
    expect(await lesson.textContent()).toContain(`step ${i + 1} of 5`);
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe(tab);
    expect((await lesson.locator('.notice').textContent())!.length).toBeGreaterThan(80); // what to notice, in sentences
    expect(await lesson.getByTestId('glossary').count()).toBe(i === 2 ? 1 : 0);
    if (i === 0) await page.getByTestId('gap-tuned-verdict').waitFor({ timeout: 120_000 });
    if (i === 1) {
      expect(await page.getByLabel('SFT steps').inputValue()).toBe('40');
      expect(await page.getByLabel('SFT learning rate').count()).toBe(0); // the engineer's knobs are hidden
    }
    for (const [width, height] of [[1366, 900], [390, 844]]) {
      await page.setViewportSize({ width, height });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `step ${i + 1} at ${width}`).toBe(true);
      await screenshot(page, `lesson-${i + 1}-${width}`);
    }
    if (i < TABS.length - 1) {
      await lesson.getByRole('button', { name: /^Next step/ }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('lesson-h'); // focus follows the step
    }
  }
  expect(await lesson.getByRole('button', { name: 'End the lesson' }).count()).toBe(0); // a locked lesson stays a lesson
  expect(new URL(page.url()).hash).toMatch(/lesson=5.*model=sft-early.*locked=1|model=sft-early.*lesson=5/);
  expect(await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('seed'))).toBe('7');
  expect(consoleErrors).toEqual([]);
  await page.close();
});

test('from the first screen a learner starts the lesson and can leave it', async () => {
  const { page } = await open(context, inject('baseUrl'));
  await page.getByRole('button', { name: 'Start the guided lesson' }).click();
  expect(await page.getByTestId('lesson').textContent()).toContain('step 1 of 5');
  expect(new URL(page.url()).hash).toContain('lesson=1');
  await page.getByRole('button', { name: 'Leave the lesson' }).click();
  expect(await page.getByTestId('lesson').count()).toBe(0);
  expect(await page.getByTestId('settings').count()).toBe(1);
  await page.close();
});
