#!/usr/bin/env node
// Runs a TypeScript entry of scripts/ in Node: bundles it with esbuild first.
// Why: TF.js's gradient registrations ship only as ES modules with directory
// and extensionless imports, which Node cannot load but a bundler resolves.
// Usage: node scripts/run.mjs scripts/heed.ts [args...]
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs ENTRY.ts [args...]');
  process.exit(2);
}
const outdir = join(root, 'node_modules', '.cache', 'heed');
mkdirSync(outdir, { recursive: true });
// One file per process, so two commands running at once never share a bundle.
const outfile = join(outdir, basename(entry).replace(/\.ts$/, `.${process.pid}.mjs`));
process.on('exit', () => rmSync(outfile, { force: true }));
await build({
  entryPoints: [resolve(entry)],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  outfile,
  logLevel: 'warning',
  external: ['esbuild', 'webgpu', 'playwright-core', 'vite', 'vitest', 'wabt'],
  banner: {
    js: [
      "import { createRequire as __cr } from 'node:module';",
      "import { fileURLToPath as __fu } from 'node:url';",
      "import { dirname as __dn } from 'node:path';",
      'const require = __cr(import.meta.url);',
      'const __filename = __fu(import.meta.url);',
      'const __dirname = __dn(__filename);',
    ].join(' '),
  },
});
process.env.HEED_ROOT = root;
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
