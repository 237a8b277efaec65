/**
 * The engine's start-up in the built (minified) app: served cross-origin
 * isolated, as `vite preview` does, wasm can run threads (they once hung a
 * minified build: scripts/isolation.ts), trains its speed probe on them and
 * the badge says so with tokens/s; served by a plain static host it runs
 * one thread and says why. `npm run bench:threads` also times
 * `baby` pretraining steps with 1 and with 2 threads, alternating, and
 * prints one JSON line (npm test skips that part: it takes minutes).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launch, modelLoaded, open, openSettings } from './browser.ts';

let context: BrowserContext;

beforeAll(async () => {
  context = await launch();
});

afterAll(async () => {
  await context?.close();
});

const badge = (page: Page) => page.getByTestId('backend');

test('cross-origin isolated, threaded wasm starts in the minified build, trains its probe, and the badge says tokens/s', async () => {
  const w = await open(context, `${inject('baseUrl')}#seed=1&threads=2`);
  await modelLoaded(w.page);
  expect(await w.page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect.poll(() => badge(w.page).textContent()).toMatch(/^\s*Backend: wasm · 2 threads · [\d,]+ tokens\/s\s*$/);
  const why = await badge(w.page).getAttribute('title');
  expect(why).toMatch(/fastest at training steps .*: wasm [\d,]+ tokens\/s/);
  expect(why).toMatch(/WebGPU not timed: a software adapter/); // this machine's WebGPU is SwiftShader
  expect(why).toMatch(/wasm: 2 threads, as asked/);
  // The threaded engine answers too (generation runs the same kernels outside the probe).
  await w.page.getByRole('tab', { name: 'Ask' }).click();
  await w.page.getByRole('button', { name: 'Generate' }).click();
  await w.page.getByTestId('finish').waitFor({ timeout: 120_000 });
  expect((await w.page.getByTestId('output').textContent())!.length).toBeGreaterThan(0);
  expect(w.consoleErrors).toEqual([]);
  expect(w.foreignRequests).toEqual([]);
  await w.page.close();
});

test('a host without the headers: one thread, and the settings say which headers are missing', async () => {
  const w = await open(context, `${inject('plainUrl')}#seed=1`);
  await modelLoaded(w.page);
  expect(await w.page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect.poll(() => badge(w.page).textContent()).toMatch(/^\s*Backend: wasm · [\d,]+ tokens\/s\s*$/);
  await openSettings(w.page);
  expect(await w.page.getByTestId('backend-reason').textContent()).toMatch(/wasm: one thread: the page is not cross-origin isolated .*Cross-Origin-Embedder-Policy: require-corp/);
  expect(w.consoleErrors).toEqual([]);
  await w.page.close();
});

/** Median ms/step of `baby` pretraining (batch 12) with `threads`, read off the page's progress line, and the badge's probe rate. */
async function babySteps(threads: number, iters: number): Promise<{ threads: number; msPerStep: number; probeTokensPerSec: number }> {
  const w = await open(context, `${inject('baseUrl')}#preset=baby&iters=${iters}&threads=${threads}`);
  await modelLoaded(w.page);
  const rate = /([\d,]+) tokens\/s/.exec((await badge(w.page).textContent())!)![1];
  await w.page.getByRole('tab', { name: 'Pretrain' }).click();
  await w.page.getByLabel('Batch').fill('12');
  const start = w.page.getByRole('button', { name: 'Pretrain from scratch' });
  await expect.poll(() => start.isEnabled(), { timeout: 120_000 }).toBe(true); // not while the first screen's answers are made
  await start.click();
  const ms = new Map<number, number>();
  const deadline = Date.now() + 240_000;
  for (let step = 0; step < iters; ) {
    if (Date.now() > deadline) throw new Error(`baby pretraining with ${threads} threads reached only step ${step} of ${iters} in 4 minutes`);
    const text = ((await w.page.getByTestId('progress').textContent({ timeout: 60_000 })) ?? '').replace(/\s+/g, ' ');
    const m = /step (\d+)\/\d+ .* (\d+) ms\/step/.exec(text);
    if (m) {
      step = Number(m[1]);
      if (step > 3) ms.set(step, Number(m[2])); // after the warm-up steps
    }
    await w.page.waitForTimeout(100);
  }
  await w.page.close();
  const sorted = [...ms.values()].sort((a, b) => a - b);
  return { threads, msPerStep: sorted[Math.floor(sorted.length / 2)], probeTokensPerSec: Number(rate.replace(/,/g, '')) };
}

test.skipIf(!process.env.HEED_THREADS_BENCH)('bench: baby training steps with 1 and with 2 threads, alternating', async () => {
  const rows: Awaited<ReturnType<typeof babySteps>>[] = [];
  for (let round = 0; round < 3; round++) for (const threads of [1, 2]) rows.push(await babySteps(threads, 40));
  const med = (t: number, k: 'msPerStep' | 'probeTokensPerSec') => {
    const xs = rows.filter((r) => r.threads === t).map((r) => r[k]).sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)];
  };
  const summary = {
    preset: 'baby', batch: 12, cores: await (await context.newPage()).evaluate(() => navigator.hardwareConcurrency),
    msPerStep1: med(1, 'msPerStep'), msPerStep2: med(2, 'msPerStep'), speedup: Number((med(1, 'msPerStep') / med(2, 'msPerStep')).toFixed(2)),
    probe1: med(1, 'probeTokensPerSec'), probe2: med(2, 'probeTokensPerSec'), rows,
  };
  console.log(JSON.stringify(summary));
  expect(rows.length).toBe(6);
}, 600_000);
