/**
 * The built page's Content-Security-Policy: it is there, the app runs under
 * it (the model loads and generates on wasm, which needs 'wasm-unsafe-eval',
 * with no violation reported), and it does refuse what it should (an inline
 * script). The other browser tests fail on any console error, a violation included.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { CSP } from '../../vite.config.ts';
import { chooseBackend, launch, modelLoaded, open, type Watched } from './browser.ts';

let context: BrowserContext;
let w: Watched;
const violations: string[] = [];

beforeAll(async () => {
  context = await launch();
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.warn(`csp-violation ${e.violatedDirective} ${e.blockedURI}`)));
  w = await open(context, `${inject('baseUrl')}#seed=2`);
  w.page.on('console', (m) => m.text().startsWith('csp-violation') && violations.push(m.text()));
  await modelLoaded(w.page);
});

afterAll(async () => {
  await context?.close();
});

test('the page carries the policy and runs under it: wasm generates, nothing is reported', async () => {
  const meta = await w.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'));
  expect(meta).toBe(CSP);
  await chooseBackend(w.page, 'wasm');
  await w.page.getByRole('tab', { name: 'Ask' }).click();
  await w.page.getByRole('button', { name: 'Generate' }).click();
  await w.page.getByTestId('finish').waitFor({ timeout: 60_000 });
  expect((await w.page.getByTestId('output').textContent())!.length).toBeGreaterThan(0);
  expect(violations).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
});

test('an inline script is refused', async () => {
  const ran = await w.page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.some((v) => v.includes('script-src'))).toBe(true);
});
