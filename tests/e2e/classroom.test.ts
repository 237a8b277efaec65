/**
 * The playground as a class meets it: the first screen shows the gap (the
 * shipped base and tuned models on the headline prompt, each with the
 * checks' verdict) without a click; the tuned haiku is laid out on three
 * lines wherever it is shown; the tabs follow the WAI-ARIA pattern; work is
 * never replaced without asking, and the learner's own model is saved apart
 * from the shipped ones; errors appear beside the control that caused them.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { join } from 'node:path';
import { type Watched, chooseBackend, launch, lineBoxes, lowContrast, open, openSettings, screenshot, shippedStep } from './browser.ts';

let context: BrowserContext;
let w: Watched;
let page: Page;

beforeAll(async () => {
  context = await launch();
  w = await open(context, inject('baseUrl'));
  page = w.page;
});

afterAll(async () => {
  await context?.close();
});

test('the first screen shows both answers with their verdicts, without any click', async () => {
  await page.getByTestId('gap-tuned-verdict').waitFor({ timeout: 120_000 });
  expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('Base vs tuned');
  // The base does not answer: it carries on with its worksheet's next item (after a worked answer of its own).
  expect(await page.getByTestId('gap-base-verdict').textContent()).toMatch(/^Fails the checks:✗ continued the document with more instructions/);
  expect(await page.getByTestId('gap-tuned-verdict').textContent()).toContain('✓ 3 lines, 5-7-5, about autumn');
  expect((await page.getByTestId('gap-base').textContent())!.length).toBeGreaterThan(20);
  // Laid out as three lines (line boxes of the text, not its innerText).
  expect(await lineBoxes(page, 'gap-tuned')).toBe(3);
  expect(await page.getByText('The same tiny model before and after instruction tuning').isVisible()).toBe(true);
  // The model line is in plain words; engine details and shipped models wait in the settings menu.
  expect(await page.getByTestId('model-info').textContent()).toMatch(/Loaded: shipped base: base model — not instruction-tuned/);
  expect(await page.getByRole('button', { name: 'Load shipped sft', exact: true }).isVisible()).toBe(false);
  expect(await lowContrast(page)).toEqual([]); // WCAG AA
  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, 'first-screen-1366');
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
  // The header leaves the screen to the lesson: the tabs start in the top third of a phone.
  expect((await page.getByRole('tablist').boundingBox())!.y).toBeLessThan(844 / 3);
  await screenshot(page, 'first-screen-390');
  await page.setViewportSize({ width: 1280, height: 720 });
});

test('tabs follow the WAI-ARIA pattern: arrow keys, Home and End move and focus', async () => {
  await page.getByRole('tab', { name: 'Base vs tuned' }).focus();
  await page.keyboard.press('ArrowRight');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ask');
  expect(await page.getByRole('tab', { name: 'Ask' }).getAttribute('aria-selected')).toBe('true');
  await page.keyboard.press('End');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Compare');
  await page.keyboard.press('ArrowRight'); // wraps around
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Base vs tuned');
  expect(await page.getByRole('tab', { name: 'Ask' }).getAttribute('tabindex')).toBe('-1'); // one tab stop for the list
  // Every tab's text meets AA contrast too.
  for (const tab of ['Ask', 'Pretrain', 'Instruction-tune', 'Preference-tune', 'Compare', 'Base vs tuned']) {
    await page.getByRole('tab', { name: tab }).click();
    expect(await lowContrast(page), tab).toEqual([]);
  }
});

test('the tuned haiku is on three lines on the Ask and Compare tabs too', async () => {
  await chooseBackend(page, 'wasm');
  await page.getByRole('button', { name: 'Load shipped sft', exact: true }).click(); // a shipped model replaces a shipped one without asking
  await page.getByTestId('notice').getByText('Loaded the shipped sft model.').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('model-info').textContent()).toMatch(/Loaded: shipped sft: instruction-tuned model/);
  await page.getByRole('tab', { name: 'Ask' }).click();
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByTestId('finish').waitFor({ timeout: 60_000 });
  expect(await lineBoxes(page, 'output')).toBe(3); // prompt → first line, then two more
  expect(await page.getByTestId('output-text').textContent()).toMatch(/^The model wrote: \S/); // the answer as one text for a screen reader
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Answer side by side' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Answer side by side' }).isEnabled(), { timeout: 180_000 }).toBe(true);
  expect(await lineBoxes(page, 'compare-1')).toBe(3); // the shipped sft side
});

test('work is not replaced without asking; the learner\'s model is saved apart from the shipped ones', async () => {
  // A model loaded from a file is the learner's own (and autosaved).
  await openSettings(page);
  await page.getByLabel('Load a checkpoint').setInputFiles(join(process.cwd(), 'models', 'sft-early.heed'));
  await page.getByTestId('notice').getByText('Loaded sft-early.heed.').waitFor({ timeout: 60_000 });
  const mine = (await page.getByTestId('model-info').textContent())!;
  const restored = `Restored your saved model (sft, step ${shippedStep('sft-early')}).`;
  expect(mine).toContain(`Loaded: your instruction-tuned model (sft, step ${shippedStep('sft-early')}`);

  // Escape cancels: nothing changes.
  await page.getByRole('button', { name: 'Load shipped base', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Replace your model?' });
  await dialog.waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel'); // Enter never loses work by accident
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  expect(await page.getByTestId('model-info').textContent()).toBe(mine);

  // Pretrain from scratch asks too; Cancel keeps the model.
  await page.getByRole('tab', { name: 'Pretrain' }).click();
  expect(await page.getByLabel('Size').inputValue()).toBe('tiny'); // learns within a minute
  await page.getByRole('button', { name: 'Pretrain from scratch' }).click();
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.getByTestId('model-info').textContent()).toBe(mine);

  // Going ahead loads the shipped model, which is not autosaved: a reload brings the learner's model back.
  await page.getByRole('button', { name: 'Load shipped base', exact: true }).click();
  await dialog.getByRole('button', { name: 'Replace my model' }).click();
  await page.getByTestId('notice').getByText('Loaded the shipped base model.').waitFor({ timeout: 60_000 });
  await page.reload();
  await page.getByTestId('notice').getByText(restored).waitFor({ timeout: 60_000 });

  // Clearing the pairs and forgetting saved work ask first.
  await page.getByRole('tab', { name: 'Instruction-tune' }).click();
  await page.getByLabel('Prompt 1', { exact: true }).fill('Say hi.');
  await page.getByRole('button', { name: 'Reset to the defaults' }).click();
  await page.getByRole('dialog', { name: 'Reset the pairs?' }).getByRole('button', { name: 'Cancel' }).click();
  expect(await page.getByLabel('Prompt 1', { exact: true }).inputValue()).toBe('Say hi.');
  await openSettings(page);
  await page.getByRole('button', { name: 'Forget saved work' }).click();
  await page.getByRole('dialog', { name: 'Forget your saved work?' }).getByRole('button', { name: 'Cancel' }).click();
  await page.reload();
  await page.getByTestId('notice').getByText(restored).waitFor({ timeout: 60_000 });
});

test('errors appear beside the control that caused them and go with the next success', async () => {
  await page.getByRole('tab', { name: 'Instruction-tune' }).click();
  await page.getByLabel('SFT steps').fill('');
  // Said inline at once, in words (not "(got null)").
  await page.getByText('Steps is empty: type a whole number between 1 and 100000.').first().waitFor();
  await page.getByRole('button', { name: 'Start SFT' }).click();
  const error = page.getByTestId('error');
  await error.getByText('Steps is empty').waitFor();
  // Beside the button: just below it, not at the top of the page.
  const button = (await page.getByRole('button', { name: 'Start SFT' }).boundingBox())!;
  const box = (await error.boundingBox())!;
  expect(box.y - (button.y + button.height)).toBeLessThan(60);
  expect(box.y).toBeGreaterThan(button.y);

  // A binary file is refused as a corpus, beside the file picker.
  await page.getByRole('tab', { name: 'Pretrain' }).click();
  await page.getByLabel('My own text').check();
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe]);
  await page.getByLabel('Upload a .txt file').setInputFiles({ name: 'leaf.png', mimeType: 'image/png', buffer: png });
  await error.getByText('leaf.png is not a text file').waitFor();
  await page.getByLabel('Upload a .txt file').setInputFiles({ name: 'poem.txt', mimeType: 'text/plain', buffer: Buffer.from('autumn leaves fall down\n'.repeat(50)) });
  await page.getByTestId('notice').getByText('Loaded 1,200 characters from poem.txt.').waitFor();
  expect(await error.count()).toBe(0);
  expect(w.consoleErrors).toEqual([]);
  expect(w.foreignRequests).toEqual([]);
});

test('the Start button turns into Pause and Resume in place, keeping the keyboard focus', async () => {
  await page.getByRole('tab', { name: 'Instruction-tune' }).click();
  await page.getByLabel('SFT steps').fill('200');
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
  await page.getByRole('button', { name: 'Start SFT' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Pause' }).waitFor({ timeout: 60_000 });
  expect(await focused()).toBe('Pause'); // the same button: Enter again pauses
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Resume' }).waitFor();
  expect(await focused()).toBe('Resume');
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByTestId('notice').getByText(/^Stopped after \d+ tuning steps\./).waitFor({ timeout: 60_000 });
  expect(await page.getByRole('button', { name: 'Start SFT' }).isEnabled()).toBe(true);
});

test('leaving the page during a run makes the browser ask first', async () => {
  await page.getByRole('tab', { name: 'Instruction-tune' }).click();
  await page.getByLabel('SFT steps').fill('4');
  await page.getByLabel('Probe every').fill('4');
  await page.getByRole('button', { name: 'Start SFT' }).click();
  await page.getByRole('button', { name: 'Pause' }).waitFor({ timeout: 60_000 });
  // The model line says what is happening now, not the step the model had before the run.
  expect(await page.getByTestId('model-info').textContent()).toMatch(/Now: Instruction-tuning your model…/);
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss(); // stay
  await page.getByTestId('notice').getByText('Tuned 4 steps.').waitFor({ timeout: 240_000 });
  expect(page.isClosed()).toBe(false);
});
