import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser } from 'playwright-core';
import { readFileSync } from 'fs';
import type { Page } from 'playwright-core';
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

let conversationId = '';
let campaignId = '';

/** A resolved SMS conversation held by 陈静 and rated 5 with a comment, an unanswered e-mail, a campaign. */
beforeAll(async () => {
  const agent = await app.userToken('agent', '陈静');
  const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'sms',
    from: '+8613600137001',
    text: 'where is my parcel?',
  });
  expect(inbound.status).toBeLessThan(300);
  conversationId = inbound.body.conversation.id as string;
  const ok = async (path: string, body: unknown) =>
    expect((await app.api('POST', path, body)).status).toBeLessThan(300);
  await ok(`/api/v1/conversations/${conversationId}/assign`, { agentId: agent.id });
  await ok(`/api/v1/conversations/${conversationId}/replies`, { text: 'It arrives tomorrow.' });
  await ok(`/api/v1/conversations/${conversationId}/status`, { status: 'resolved' });
  // The customer rates the answer, so the CSAT chart has a week to draw and a comment to list.
  await eventually(async () => {
    const out = await app.api('GET', '/api/v1/sandbox/outbox?channel=sms&to=%2B8613600137001');
    return out.body.items.some((i: { text: string }) => i.text.includes('1-5'));
  }, 'the CSAT request');
  await ok('/api/v1/sandbox/inbound', {
    channel: 'sms',
    from: '+8613600137001',
    text: '5 =SUM(1) 很快就解决了',
  });
  expect((await app.api('GET', `/api/v1/conversations/${conversationId}`)).body.csatScore).toBe(5);
  // An e-mail nobody has answered yet: its channel has no first-response time to draw.
  await ok('/api/v1/sandbox/inbound', {
    channel: 'email',
    from: 'waiting@example.com',
    subject: 'Invoice',
    text: 'please send the invoice',
  });
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
  campaignId = campaign.body.id as string;
});

async function openReports(opts: { width: number; height: number; locale: string }) {
  const context = await browser.newContext({
    viewport: { width: opts.width, height: opts.height },
    locale: opts.locale,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('conversation-list').waitFor();
  await page.goto(`${app.url}/#/reports`);
  await page.getByTestId('reports-page').waitFor();
  return { page, errors };
}

/** The texts an ECharts chart drew in its SVG (axis labels, value labels). */
const chartTexts = (page: Page, panel: string) =>
  page.locator(`[data-testid="${panel}"] .chart svg text`).allTextContents();

/** With HUB_SCREENSHOTS=<dir>, keeps a picture of the screen there (docs/screenshots). */
async function shot(page: Page, name: string) {
  const dir = process.env.HUB_SCREENSHOTS;
  if (!dir) return;
  // The page scrolls inside <main>: show its top.
  await page.evaluate('document.querySelector("main").scrollTop = 0');
  await page.screenshot({ path: join(dir, name) });
}

/** How far the page's main element scrolls sideways (0: it fits). */
const sideways = (page: Page) =>
  page.evaluate(
    '(() => { const m = document.querySelector("main"); return m.scrollWidth - m.clientWidth; })()',
  ) as Promise<number>;

describe('The reports page of the agent web app', () => {
  it('draws ECharts charts with the data, names agents, lists CSAT comments and exports CSV (en, 1280 px)', async () => {
    const { page, errors } = await openReports({ width: 1280, height: 900, locale: 'en-US' });
    // Channels by name on the first-response and resolution-rate charts, drawn by ECharts in SVG.
    await page
      .locator('[data-testid="chart-service"] .chart svg text', { hasText: /^SMS$/ })
      .first()
      .waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="chart-service"] .chart svg').count()).toBe(2);
    const firstResponse = await page
      .locator('[data-testid="chart-service"] .chart')
      .first()
      .locator('svg text')
      .allTextContents();
    // The unanswered channel says so instead of drawing a bar that reads "0s".
    expect(firstResponse).toEqual(expect.arrayContaining(['Email', 'SMS', 'n/a']));
    expect(await chartTexts(page, 'chart-service')).toEqual(expect.arrayContaining(['100%']));
    // Bars are paths in ECharts' SVG: one per channel at least.
    expect(
      await page.locator('[data-testid="chart-service"] .chart svg path').count(),
    ).toBeGreaterThan(2);
    await page.locator('[data-testid="chart-tiers"] .chart svg text').first().waitFor();
    await page.locator('[data-testid="chart-csat"] .chart svg text').first().waitFor();
    expect(await chartTexts(page, 'chart-csat')).toEqual(expect.arrayContaining(['5.0']));

    // Per agent and per team, by name.
    const agentRow = page.getByTestId('report-agent-row').filter({ hasText: '陈静' });
    await agentRow.waitFor();
    expect(await agentRow.locator('td').nth(1).textContent()).toBe('1');
    expect(await chartTexts(page, 'report-by-agent')).toEqual(expect.arrayContaining(['陈静']));
    await page.getByTestId('report-team-row').filter({ hasText: 'No team' }).first().waitFor();

    // The CSAT answer with its comment.
    const answer = page.getByTestId('csat-answer').first();
    await answer.waitFor();
    expect(await answer.textContent()).toContain('=SUM(1) 很快就解决了');
    expect(await answer.textContent()).toContain('陈静');

    // CSV export downloads a file with the BOM and the formula escaped.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csat').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^csat-responses-\d{4}-\d{2}-\d{2}-.*\.csv$/);
    const csv = readFileSync((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain(",5,'=SUM(1) 很快就解决了,");
    const [agentsCsv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-agent').click(),
    ]);
    expect(readFileSync((await agentsCsv.path())!).toString('utf8')).toMatch(
      /\r\n陈静,[0-9a-f-]{36},1,/,
    );

    // A range before anything happened: the tables say so; the 7-day preset brings them back.
    await page.getByTestId('range-from').fill('2020-01-01');
    await page.getByTestId('range-to').fill('2020-01-31');
    await page
      .getByTestId('report-by-agent')
      .getByText('No conversations in this period.')
      .waitFor();
    await page.getByTestId('csat-answers').getByText('No ratings in this period.').waitFor();
    await page.getByTestId('range-7').click();
    await agentRow.waitFor();
    await page.getByTestId('csat-answer').first().waitFor();
    // No axis repeats a label (a count axis once read 0, 0, 1, 1).
    for (const chart of await page.locator('.chart svg').all()) {
      const labels = await chart.locator('text').allTextContents();
      expect(labels.length).toBeGreaterThanOrEqual(3);
      expect(labels).toEqual([...new Set(labels)]);
    }
    await shot(page, 'reports-en-1280.png');

    await page
      .locator(`[data-testid="campaign-stats-row"][data-campaign-id="${campaignId}"]`)
      .getByText('Spring draft')
      .waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });

  it('reads in Chinese on a phone (zh-CN, 390 px), charts and tables fitting the width', async () => {
    const { page, errors } = await openReports({ width: 390, height: 844, locale: 'zh-CN' });
    await page.getByRole('heading', { name: '报表' }).waitFor();
    await page
      .locator('[data-testid="chart-service"] .chart svg text', { hasText: /^短信$/ })
      .first()
      .waitFor({ timeout: 15_000 });
    expect(await chartTexts(page, 'chart-service')).toEqual(expect.arrayContaining(['邮件', '无']));
    await page.getByTestId('report-agent-row').filter({ hasText: '陈静' }).waitFor();
    await page.getByTestId('report-team-row').filter({ hasText: '无团队' }).first().waitFor();
    await page.getByRole('button', { name: '最近 7 天' }).waitFor();
    await page.getByTestId('csat-answer').filter({ hasText: '很快就解决了' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-team').click(),
    ]);
    expect(readFileSync((await download.path())!).toString('utf8')).toMatch(/^\uFEFFteam,id,/);
    await shot(page, 'reports-zh-CN-390.png');
    // Each chart is drawn within the phone's width.
    for (const chart of await page.locator('.chart').all()) {
      const box = await chart.boundingBox();
      expect(box!.width).toBeLessThanOrEqual(390);
      expect(box!.width).toBeGreaterThan(100);
    }
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });
});
