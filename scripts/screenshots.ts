/**
 * Screenshots of every main screen in both languages for docs/screenshots (npm run screenshots).
 * Boots the hub with sample data (PostgreSQL and Redis when they run here), then drives Chromium.
 */
import { mkdirSync } from 'fs';
import { join } from 'path';
import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import globalSetup from '../test/support/global-setup';
import { ADMIN, startTestApp, USER_PASSWORD, type TestApp } from '../test/support/test-app';
import { buildWebIfStale, launchChromium, signIn } from '../test/support/web';

const OUT = join(__dirname, '..', 'docs', 'screenshots');

const OFFER = { offer: { percent: 20, code: 'VIP20', until: '2026-12-12T23:59:00+08:00' } };

/** Customers a marketer works with: tags, consent, scores (some at risk), a launched campaign. */
async function seedMarketing(
  app: TestApp,
): Promise<{ campaignId: string; draftId: string; contactId: string }> {
  const db = app.hub.app.get(DataSource);
  const people: Array<[string, string, string, boolean]> = [
    ['张伟', 'zhangwei@example.cn', 'core', true],
    ['李娜', 'lina@example.cn', 'core', false],
    ['王磊', 'wanglei@example.cn', 'potential', true],
    ['刘洋', 'liuyang@example.cn', 'regular', false],
    ['Emma Chen', 'emma.chen@example.com', 'potential', false],
    ['赵敏', 'zhaomin@example.cn', 'edge', true],
  ];
  const step = (what: string) => process.env.SCREENSHOTS_DEBUG && console.log(`  ${what}`);
  let contactId = '';
  for (const [i, [name, email, tier, atRisk]] of people.entries()) {
    step(`customer ${name}`);
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: name,
      locale: email.endsWith('.cn') ? 'zh-CN' : 'en',
      timezone: 'Asia/Shanghai',
      identities: [
        { channel: 'email', address: email },
        { channel: 'sms', address: `+861390000${String(1000 + i)}` },
      ],
      tags: i % 2 === 0 ? ['vip', '会员'] : ['会员'],
      attributes: { city: i % 2 === 0 ? '上海' : '杭州' },
    });
    contactId ||= c.body.id as string;
    await app.api('POST', `/api/v1/customers/${c.body.id}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      status: 'granted',
      source: 'signup-form',
      evidence: { form: '会员注册', ip: '203.0.113.7' },
    });
    await db.query(
      `INSERT INTO rfm_scores (customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, tier, churn_risk)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [c.body.id, 10 + i * 20, 8 - i, 5000 - i * 700, 5 - (i % 5), 4, 5 - (i % 4), tier, atRisk],
    );
  }
  step('segment and campaign');
  await app.api('POST', '/api/v1/segments', {
    name: '上海 VIP',
    definition: { tags: ['vip'], attributes: { city: { eq: '上海' } } },
  });
  const launched = await app.api('POST', '/api/v1/campaigns', {
    name: '会员日关怀',
    segment: { tags: ['会员'] },
    topic: 'member-day',
    purpose: 'marketing',
    urgency: 'normal',
    template: 'welcome',
    data: OFFER,
  });
  step(`launch ${launched.status}`);
  await app.api('POST', `/api/v1/campaigns/${launched.body.id}/launch`, {});
  step('launched');
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const c = await app.api('GET', `/api/v1/campaigns/${launched.body.id}`);
    if (c.body.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  step('draft');
  const draft = await app.api('POST', '/api/v1/campaigns', {
    name: '双十二预热',
    segment: { tags: ['vip'] },
    topic: 'sale',
    purpose: 'marketing',
    urgency: 'normal',
    template: 'welcome',
    data: OFFER,
  });
  return {
    campaignId: launched.body.id as string,
    draftId: draft.body.id as string,
    contactId,
  };
}

async function seed(app: TestApp): Promise<{ conversationId: string; customerId: string }> {
  const wang = await app.api('POST', '/api/v1/users', {
    email: 'wangfang@example.cn',
    name: '王芳',
    password: USER_PASSWORD,
    role: 'agent',
  });
  const team = await app.api('POST', '/api/v1/teams', { name: '售后服务' });
  await app.api('POST', `/api/v1/teams/${team.body.id}/members`, { userId: wang.body.id });
  await app.api('POST', '/api/v1/canned-responses', {
    shortCode: 'thanks',
    text: '感谢您的耐心等待，{{customer.name}}！',
  });
  const first = await app.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'sms',
    from: '+8613800138000',
    text: '你好，我上周买的空气净化器还没有发货，能帮我查一下吗？',
  });
  await app.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'email',
    from: 'chenjing@example.cn',
    subject: '发票抬头修改',
    text: '您好，麻烦把发票抬头改成公司名称，谢谢。',
  });
  await app.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'email',
    from: 'li.na@example.com',
    subject: 'Refund request',
    text: 'Hello, I would like a refund for order 1042.',
  });
  const conversationId = first.body.conversation.id as string;
  const customerId = first.body.conversation.customerId as string;
  await app.api('PATCH', `/api/v1/customers/${customerId}`, {
    displayName: '陈静',
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
  });
  await app.api('POST', `/api/v1/conversations/${conversationId}/replies`, {
    text: '您好陈静，已经帮您催促仓库，今天内发出。',
  });
  await app.api('POST', `/api/v1/conversations/${conversationId}/notes`, {
    text: '@王芳请看一下物流单号',
  });
  await app.api('POST', `/api/v1/conversations/${conversationId}/tags`, { tags: ['VIP', '物流'] });
  await app.api('POST', '/api/v1/campaigns', {
    name: '双十二大促',
    segment: { tags: ['vip'] },
    topic: 'sale',
    purpose: 'marketing',
    urgency: 'normal',
    template: 'welcome',
  });
  return { conversationId, customerId };
}

async function shoot(
  browser: Browser,
  app: TestApp,
  locale: 'zh-CN' | 'en',
  width: number,
  screens: Array<[string, string, string | null]>,
): Promise<void> {
  const context = await browser.newContext({
    locale,
    timezoneId: 'Asia/Shanghai',
    viewport: { width, height: width < 600 ? 844 : 800 },
  });
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByTestId('login-form').waitFor();
  await page.screenshot({ path: join(OUT, `login-${locale}-${width}.png`) });
  await signIn(page, app.url, ADMIN.email, ADMIN.password);
  await page.getByTestId('logout').waitFor();
  for (const [name, hash, ready] of screens) {
    await page.goto(`${app.url}/${hash}`);
    if (ready) await page.getByTestId(ready).first().waitFor({ timeout: 15_000 });
    // A draft campaign's page shows its dry run once asked.
    if (name === 'campaign-dry-run') {
      await page.getByTestId('dry-run-start').click();
      await page.getByTestId('dry-run-result').waitFor({ timeout: 15_000 });
    }
    // A sandboxed srcdoc frame (an e-mail preview) never reads as idle to Chromium: wait a while only.
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
    // Panels load on their own: wait until none says it is loading (at most 15 s).
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      const text = (await page.evaluate('document.body.innerText')) as string;
      if (!/Loading|加载中|正在加载/.test(text)) break;
      await page.waitForTimeout(200);
    }
    await page.screenshot({ path: join(OUT, `${name}-${locale}-${width}.png`) });
  }
  await context.close();
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  console.log('building the web app if stale, starting the hub…');
  buildWebIfStale();
  // PostgreSQL and Redis when they run here, as the tests use them (PGlite otherwise).
  await globalSetup();
  const app = await startTestApp();
  console.log('seeding sample data…');
  const browser = await launchChromium();
  try {
    const { conversationId, customerId } = await seed(app);
    console.log('seeding contacts and campaigns…');
    const { campaignId, draftId, contactId } = await seedMarketing(app);
    const key = await app.api('POST', '/api/v1/api-keys', {
      name: 'CRM 同步',
      scopes: ['customers:read', 'customers:write'],
    });
    await app.api(
      'GET',
      '/api/v1/customers?identity=email:lina@example.cn',
      undefined,
      key.body.key,
    );
    await app.api('POST', '/api/v1/webhooks', {
      url: 'https://203.0.113.10/hooks/hub',
      events: ['message.received', 'conversation.resolved', 'consent.changed'],
      description: 'CRM',
    });
    const link = await app.api('POST', `/api/v1/customers/${customerId}/preference-link`);
    const prefs = new URL(link.body.url as string).pathname;
    const screens: Array<[string, string, string | null]> = [
      ['inbox', '#/', 'conversation-row'],
      ['conversation', `#/c/${conversationId}`, 'conversation-view'],
      ['reports', '#/reports', null],
      ['campaigns', '#/campaigns', 'campaign-card'],
      ['templates', '#/templates/csat-request', 'preview-text'],
      ['contacts', '#/contacts', null],
      ['tiers', '#/contacts?view=tiers', null],
      ['contact-page', `#/contacts/${contactId}`, null],
      ['contact-import', '#/contacts/import', null],
      ['campaign-builder', '#/campaigns/new', null],
      ['campaign-dry-run', `#/campaigns/${draftId}`, 'dry-run-start'],
      ['campaign-results', `#/campaigns/${campaignId}`, null],
      ['team', '#/team', null],
      ['settings-users', '#/settings/users', null],
      ['settings-channels', '#/settings/channels', null],
      ['settings-routing', '#/settings/routing', null],
      ['settings-api-keys', '#/settings/api-keys', null],
      ['settings-webhooks', '#/settings/webhooks', null],
    ];
    for (const locale of ['zh-CN', 'en'] as const) {
      console.log(`shooting ${locale}…`);
      await shoot(browser, app, locale, 1280, screens);
      await shoot(
        browser,
        app,
        locale,
        390,
        screens.filter(([name]) =>
          ['inbox', 'conversation', 'contacts', 'contact-page', 'campaign-builder'].includes(name),
        ),
      );
      const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${app.url}${prefs}?lang=${locale}`);
      await page.screenshot({
        path: join(OUT, `preference-centre-${locale}-390.png`),
        fullPage: true,
      });
      await context.close();
    }
    console.log(`screenshots written to ${OUT}`);
  } finally {
    await browser.close();
    await app.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
