#!/usr/bin/env node
/* npm test: builds the web assets the browser tests load, runs every jest tier, prints the totals. */
'use strict';
const { spawnSync } = require('child_process');
const { existsSync, readFileSync, rmSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
// PGlite loads its WASM through import(), which Jest's CommonJS sandbox only allows with VM modules on.
const env = {
  ...process.env,
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim(),
};
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });

for (const config of ['web/vite.config.ts', 'web/vite.widget.config.ts']) {
  if (!existsSync(join(root, config))) continue;
  const r = run('npx', ['vite', 'build', '--config', config, '--logLevel', 'warn']);
  if (r.status !== 0) {
    console.error(`web build failed (${config})`);
    process.exit(r.status ?? 1);
  }
}

const results = join(root, '.jest-results.json');
rmSync(results, { force: true });
const jest = run('npx', [
  'jest',
  '--maxWorkers=2',
  '--json',
  `--outputFile=${results}`,
  ...process.argv.slice(2),
]);
if (!existsSync(results)) {
  console.error('jest wrote no results');
  console.log('0 passed, 1 failed');
  process.exit(jest.status || 1);
}
const r = JSON.parse(readFileSync(results, 'utf8'));
const failedSuites = r.numFailedTestSuites - 0;
const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
if (failedSuites) console.error(`${failedSuites} test file(s) failed`);
const skipped = r.numPendingTests + (r.numTodoTests ?? 0);
console.log(`${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
process.exit(jest.status === 0 && failed === 0 && r.numPassedTests > 0 ? 0 : 1);
