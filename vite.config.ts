import { svelte } from '@sveltejs/vite-plugin-svelte';
import { type Plugin, defineConfig } from 'vite';
import { ISOLATION_HEADERS, threadedWasm } from './scripts/isolation.ts';
import { offline } from './scripts/offline.ts';

/**
 * The built page's Content-Security-Policy: scripts, workers, styles, the
 * models and the .wasm files come from the page's own origin only; wasm may
 * compile ('wasm-unsafe-eval', which allows WebAssembly but not eval); no
 * inline script, no plugins, nothing sent anywhere. The dev server goes
 * without it: Vite's hot reload injects <style> elements.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const contentSecurityPolicy = (): Plugin => ({
  name: 'heed-csp',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
});

export default defineConfig({
  plugins: [svelte(), contentSecurityPolicy(), offline()],
  // Cross-origin isolation lets the wasm backend run threads (scripts/isolation.ts).
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es', plugins: () => [threadedWasm()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
