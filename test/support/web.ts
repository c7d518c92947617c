import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

/** Rebuilds web/dist when a source under web/src is newer than the built page. */
export function buildWebIfStale(): void {
  const built = join(ROOT, 'web', 'dist', 'index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join(ROOT, 'web', 'src'))) {
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** True when the page is no wider than its viewport (no horizontal scroll). */
export function fitsViewport(page: Page): Promise<boolean> {
  return page.evaluate(
    'document.documentElement.scrollWidth <= window.innerWidth',
  ) as Promise<boolean>;
}

export async function signIn(page: Page, url: string, email: string, password: string) {
  await page.goto(url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}
