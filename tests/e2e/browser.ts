/**
 * Headless Debian Chromium through playwright-core, with the flags that give
 * it WebGPU (SwiftShader), WebGL2 and wasm here and keep it off the network.
 * Each page records console errors, page errors and any request that leaves
 * the app's origin.
 */
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { readCheckpoint } from '../../src/engine/checkpoint.ts';
import { readModelBytes } from '../../scripts/lib/models.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'screenshots');

/** A shipped model's step, from its file's header: what the page's model line says of it ("sft, step N"). */
export const shippedStep = (name: string): number => readCheckpoint(readModelBytes(name).bytes).header.step;

const FLAGS = [
  '--headless=new', '--no-sandbox', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
];

export interface Watched {
  page: Page;
  consoleErrors: string[];
  foreignRequests: string[];
}

export async function launch(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'heed-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 720 },
  });
}

export async function open(context: BrowserContext, url: string): Promise<Watched> {
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const origin = new URL(url).origin;
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreignRequests.push(u);
  });
  await page.goto(url);
  return { page, consoleErrors, foreignRequests };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Open the settings menu (engine, shipped models, files), where the backend and the model choices live. */
export async function openSettings(page: Page): Promise<void> {
  const settings = page.getByTestId('settings');
  if (!(await settings.evaluate((d) => (d as HTMLDetailsElement).open))) await settings.locator('summary').click();
}

/** Switch the backend from the settings menu and wait until it is running. */
export async function chooseBackend(page: Page, backend: string): Promise<void> {
  await openSettings(page);
  await page.getByLabel('Backend').selectOption(backend);
  await page.getByTestId('backend').getByText(`Backend: ${backend}`).waitFor({ timeout: 60_000 });
}

/** Line boxes the text of `selector` is laid out in (distinct tops of its text's client rects): layout, not innerText. */
export function lineBoxes(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    return tops.size;
  });
}

/**
 * Text on the page below WCAG AA contrast (4.5:1; 3:1 for large text), as "text (ratio)": each element
 * with its own visible text, its colour against the first opaque background behind it. Disabled
 * controls are exempt, as WCAG allows.
 */
export function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor);
        if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
      const box = el.getBoundingClientRect();
      if (!own || !box.width || (el as HTMLButtonElement).disabled || el.closest('[disabled], [aria-hidden="true"], .sr')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.opacity === '0') continue;
      const [a, b] = [lum(rgb(style.color)), lum(background(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`${el.textContent!.trim().slice(0, 40)} (${ratio.toFixed(2)})`);
    }
    return out;
  });
}

/** Wait until the page has a model loaded (the model line names its step). */
export async function modelLoaded(page: Page): Promise<void> {
  await page.getByTestId('model-info').getByText(/step \d+/).waitFor({ timeout: 60_000 });
}
