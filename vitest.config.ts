import { defineConfig } from 'vitest/config';

// TF.js's gradients ship only as ES modules with directory imports: inline
// the @tensorflow packages so Vite resolves them (Node alone cannot).
const tfjs = { server: { deps: { inline: [/@tensorflow/] } } };

export default defineConfig({
  resolve: { mainFields: ['module', 'main'] },
  test: {
    // The JSON report feeds scripts/testTimes.mjs (time per test file, printed by .ci/run).
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 60_000, ...tfjs } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // After the unit files, not beside them: their training would take the CPU from the
          // browser's page, and the responsiveness tests (no long task on a 2x slower CPU)
          // would measure the unit tests' load instead of the page.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
