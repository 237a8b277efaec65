/**
 * Global set-up for the browser tests: build the app once with Vite and serve
 * dist/ on a loopback port, so the tests see what a user would load: with
 * the cross-origin isolation headers, as `vite preview` sends them
 * (`baseUrl`), and without them, as a plain static host (`plainUrl`).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { ISOLATION_HEADERS } from '../../scripts/isolation.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.heed': 'application/octet-stream',
};

let servers: Server[] = [];

async function serve(dist: string, headers: Record<string, string>): Promise<string> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(dist, path);
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

export async function setup(project: TestProject): Promise<void> {
  const root = process.cwd();
  await build({ root, logLevel: 'warn' });
  const dist = join(root, 'dist');
  project.provide('baseUrl', await serve(dist, ISOLATION_HEADERS));
  project.provide('plainUrl', await serve(dist, {}));
}

export async function teardown(): Promise<void> {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    plainUrl: string;
  }
}
