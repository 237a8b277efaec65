// Prints the wall time of each test file from vitest's JSON report (slowest
// first), then the plain closing line "N passed, N failed, N skipped".
// Usage: node scripts/testTimes.mjs [test-results/vitest.json]
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const file = process.argv[2] ?? 'test-results/vitest.json';
if (!existsSync(file)) {
  console.log(`No test report at ${file}: the tests did not run to the end.`);
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const rows = report.testResults
  .map((r) => ({ name: relative(process.cwd(), r.name), s: (r.endTime - r.startTime) / 1000, n: r.assertionResults.length, status: r.status }))
  .sort((a, b) => b.s - a.s);
const width = Math.max(...rows.map((r) => r.name.length));
console.log('\nTime per test file (slowest first):');
for (const r of rows) console.log(`  ${r.name.padEnd(width)}  ${r.s.toFixed(1).padStart(7)} s  ${String(r.n).padStart(3)} tests${r.status === 'passed' ? '' : `  ${r.status}`}`);
console.log(`  ${'all files (sum)'.padEnd(width)}  ${rows.reduce((t, r) => t + r.s, 0).toFixed(1).padStart(7)} s`);
console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + (report.numTodoTests ?? 0)} skipped`);
