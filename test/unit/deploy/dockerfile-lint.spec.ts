import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { join, resolve } from 'path';

/**
 * No container engine runs the test suite, so the image's Dockerfile is at least linted:
 * dockerfilelint (a devDependency) must find no issue in it.
 */
const ROOT = resolve(__dirname, '../../..');
const LINTER = join(ROOT, 'node_modules', '.bin', 'dockerfilelint');

interface LintReport {
  files: { file: string; issues_count: number; issues: { line: number; title: string }[] }[];
}

describe('Dockerfile lint', () => {
  it('finds no issue with dockerfilelint', () => {
    if (!existsSync(LINTER))
      throw new Error(
        `${LINTER} is missing: dockerfilelint must be a devDependency (npm install -D dockerfilelint)`,
      );
    const run = spawnSync(LINTER, ['--output', 'json', 'Dockerfile'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const report = JSON.parse(run.stdout) as LintReport;
    const issues = report.files.flatMap((f) =>
      f.issues.map((i) => `${f.file}:${i.line} ${i.title}`),
    );
    expect(issues).toEqual([]);
    expect(run.status).toBe(0);
  });
});
