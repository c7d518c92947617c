import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser } from 'playwright-core';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let app: TestApp;
let browser: Browser;

/** The newest modification time under dir (the app's sources), to rebuild a stale bundle. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

beforeAll(async () => {
  const built = join(ROOT, 'web', 'dist', 'index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join(ROOT, 'web', 'src'))) {
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  }
  app = await startTestApp();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('The reports page of the agent web app', () => {
  it('draws service, CSAT and RFM tier charts in SVG and lists campaign stats', async () => {
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613600137001',
      text: 'where is my parcel?',
    });
    expect(inbound.status).toBeLessThan(300);
    const conversationId = inbound.body.conversation.id as string;
    expect(
      (
        await app.api('POST', `/api/v1/conversations/${conversationId}/replies`, {
          text: 'It arrives tomorrow.',
        })
      ).status,
    ).toBeLessThan(300);
    expect(
      (
        await app.api('POST', `/api/v1/conversations/${conversationId}/status`, {
          status: 'resolved',
        })
      ).status,
    ).toBeLessThan(300);
    // The customer rates the answer, so the CSAT chart has a week to draw.
    await eventually(async () => {
      const out = await app.api('GET', '/api/v1/sandbox/outbox?channel=sms&to=%2B8613600137001');
      return out.body.items.some((i: { text: string }) => i.text.includes('1-5'));
    }, 'the CSAT request');
    const rating = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613600137001',
      text: '5',
    });
    expect(rating.status).toBeLessThan(300);
    expect((await app.api('GET', `/api/v1/conversations/${conversationId}`)).body.csatScore).toBe(
      5,
    );
    // An e-mail nobody has answered yet: its channel has no first-response time to draw.
    const unanswered = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'email',
      from: 'waiting@example.com',
      subject: 'Invoice',
      text: 'please send the invoice',
    });
    expect(unanswered.status).toBeLessThan(300);
    expect((await app.api('POST', '/api/v1/analytics/rfm/recompute')).status).toBe(200);
    const campaign = await app.api('POST', '/api/v1/campaigns', {
      name: 'Spring draft',
      segment: { tags: ['nobody-yet'] },
      topic: 'sale',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'welcome',
    });
    expect(campaign.status).toBe(201);

    const service = await app.api('GET', '/api/v1/analytics/service?by=channel');
    expect(
      service.body.groups.some(
        (g: { key: string; resolutionRate: number }) => g.key === 'sms' && g.resolutionRate > 0,
      ),
    ).toBe(true);

    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('conversation-list').waitFor();
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('reports-page').waitFor();

    await page
      .locator('[data-testid="chart-service"] svg rect')
      .first()
      .waitFor({ timeout: 10_000 });
    await page
      .locator('[data-testid="chart-service"] svg text', { hasText: /^sms$/ })
      .first()
      .waitFor();
    await page.locator('[data-testid="chart-tiers"] svg rect').first().waitFor();
    await page.locator('[data-testid="chart-csat"] svg circle').first().waitFor();
    expect(await page.locator('[data-testid="chart-service"] svg').count()).toBe(2);
    const firstResponse = page.locator('[data-testid="chart-service"] svg').first();
    // The unanswered channel says so instead of drawing a zero-length bar that reads "0s".
    expect(await firstResponse.locator('.chart-no-data text').allTextContents()).toEqual(['n/a']);
    expect(await firstResponse.locator('rect').count()).toBe(1);
    // No axis repeats a label (a sub-second axis once read 0s, 1s, 1s).
    for (const svg of await page.locator('.reports svg').all()) {
      const labels = await svg.locator('.chart-axis text').allTextContents();
      expect(labels.length).toBeGreaterThanOrEqual(2);
      expect(new Set(labels).size).toBe(labels.length);
    }
    await page
      .locator(`[data-testid="campaign-stats-row"][data-campaign-id="${campaign.body.id}"]`)
      .getByText('Spring draft')
      .waitFor();
    expect(errors).toEqual([]);
  });
});
