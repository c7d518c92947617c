import type { Browser, Page } from 'playwright-core';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';
import { buildWebIfStale, launchChromium, signIn } from '../support/web';

/**
 * No screen shows an English word to a Chinese user. Every main screen is opened in zh-CN and its
 * visible text searched for Latin words; data (names, addresses, time zones, codes) is told apart
 * by shape or marked `data-literal` (codes the user types), and the few product words kept in
 * Latin letters are listed here.
 */
const KEPT_IN_LATIN = new Set([
  'Hub',
  'SLA',
  'CSAT',
  'SMS',
  'CSV',
  'JSON',
  'API',
  'URL',
  'Twilio',
  'WhatsApp', // the product's own name, kept in Latin letters in Chinese too
  'TOTP',
  'UTC',
  'RFM',
  'Webhook',
  'Ctrl', // key names
  'Enter',
  'Tab',
  'Esc',
  'Administrator', // the seeded admin's name: data
  'admin', // role names are data the API returns
  'supervisor',
  'agent',
  'marketer',
]);

function latinWords(text: string): string[] {
  return text
    .split(/[\s，。、：；（）()[\]{}<>«»"'·|•›‹×+=,;!?]+/u)
    .filter((w) => /[A-Za-z]{3,}/.test(w))
    .filter((w) => !/[@/\\.\d_-]/.test(w)) // addresses, zones, ids, file names, numbers
    .filter((w) => !KEPT_IN_LATIN.has(w));
}

async function untranslated(page: Page): Promise<string[]> {
  const text = (await page.evaluate(`(() => {
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const el = node.parentElement;
      if (!el || el.closest('[data-literal], code, textarea, script, style, option')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      if (el.getClientRects().length === 0) continue;
      parts.push([node.textContent, el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')]);
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
      for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) parts.push([el.getAttribute(a), a]);
    }
    return parts;
  })()`)) as Array<[string, string]>;
  // Each English word with where it was, so a failure points at the component.
  return [...new Set(text.flatMap(([t, where]) => latinWords(t).map((w) => `${w} (${where})`)))];
}

describe('Every screen in Chinese', () => {
  let app: TestApp;
  let browser: Browser;
  let conversationId: string;
  let campaignId: string;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613800138999',
      text: '你好，我的订单还没有到',
    });
    conversationId = inbound.body.conversation.id;
    // An answered conversation: the reply's delivery status and author show on the timeline.
    await app.api('POST', `/api/v1/conversations/${conversationId}/replies`, {
      text: '已为您查询',
    });
    await app.api('POST', `/api/v1/conversations/${conversationId}/notes`, { text: '跟进物流' });
    // A campaign, listed with its status on the campaigns page and in the reports.
    const campaign = await app.api('POST', '/api/v1/campaigns', {
      name: '双十二大促',
      segment: { tags: ['nobody-yet'] },
      topic: 'sale',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'welcome',
    });
    expect(campaign.status).toBe(201);
    campaignId = campaign.body.id as string;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('filters data out and finds English words', () => {
    expect(latinWords('收件箱 Hub 王芳 a@b.cn Asia/Shanghai Loading… 3 min')).toEqual([
      'Loading…',
      'min',
    ]);
  });

  it.each([
    [
      'the inbox with a conversation and the customer',
      (id: string) => `#/c/${id}`,
      'customer-panel',
    ],
    ['reports', () => '#/reports', null],
    ['campaigns', () => '#/campaigns', 'campaigns-page'],
    ["a campaign's results", () => `#/campaigns/${campaignId}`, 'total-recipients'],
    ['the template editor', () => '#/templates/welcome', 'template-editor'],
    ['the team view', () => '#/team', null],
    ['settings: users', () => '#/settings/users', null],
    ['settings: teams', () => '#/settings/teams', null],
    ['settings: SLA', () => '#/settings/sla', null],
    ['settings: canned responses', () => '#/settings/canned', null],
    ['settings: channels', () => '#/settings/channels', null],
    ['settings: routing', () => '#/settings/routing', null],
  ])('has no English on %s', async (_name, hash, ready) => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    await page.getByTestId('current-user').waitFor();
    await page.goto(`${app.url}/${hash(conversationId)}`);
    if (ready) await page.getByTestId(ready).waitFor({ timeout: 15_000 });
    // Let the screen's data arrive: wait until its text stops changing.
    let last = '';
    await eventually(async () => {
      const now = (await page.evaluate('document.body.innerText')) as string;
      const settled = now === last && !/加载中|正在加载/.test(now);
      last = now;
      return settled;
    }, 'the screen settled');
    expect(await untranslated(page)).toEqual([]);
    await context.close();
  });
});
