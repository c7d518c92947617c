import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN, eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

/** The newest modification time under dir (the app's sources), to rebuild a stale bundle. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

interface TeamRow {
  name: string;
  timezone: string;
  businessHours: Record<string, [string, string]> | null;
  holidays: string[];
  memberIds: string[];
}

/** Neither the page nor the settings pane scrolls sideways. */
async function noSidewaysScroll(page: Page): Promise<boolean> {
  return (await page.evaluate(
    `document.documentElement.scrollWidth <= window.innerWidth &&
     [...document.querySelectorAll('.settings, .settings-body, .checklist')]
       .every((e) => e.scrollWidth <= e.clientWidth + 1)`,
  )) as boolean;
}

describe('Settings in the agent web app', () => {
  let app: TestApp;
  let browser: Browser;
  let agentEmail = '';
  let supervisorEmail = '';

  beforeAll(async () => {
    const built = join(ROOT, 'web', 'dist', 'index.html');
    if (!existsSync(built) || statSync(built).mtimeMs < newest(join(ROOT, 'web', 'src'))) {
      execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], {
        cwd: ROOT,
        stdio: 'ignore',
      });
    }
    app = await startTestApp();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const agent = await app.userToken('agent', 'Agent Zhou');
    agentEmail = (await app.api('GET', '/api/v1/auth/me', undefined, agent.token)).body.email;
    const supervisor = await app.userToken('supervisor', 'Supervisor Lin');
    supervisorEmail = (await app.api('GET', '/api/v1/auth/me', undefined, supervisor.token)).body
      .email;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(lang: string, width: number, email: string, password: string) {
    const context = await browser.newContext({ locale: lang, viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-inbox').waitFor({ timeout: 15_000 });
    return { context, page };
  }

  it.each([
    ['en', 1280, 'Chen Jing', 'Support', 'Channels', 'Sandbox'],
    ['zh-CN', 390, '王芳', '售后', '渠道', '沙盒'],
  ])(
    'as admin (%s, %d px) invites a user, builds a team with hours, writes a canned response, reads channel status',
    async (lang, width, person, teamName, channelsHeading, sandbox) => {
      const { context, page } = await signIn(lang, width, ADMIN.email, ADMIN.password);
      const suffix = lang.replace(/\W/g, '').toLowerCase();

      // The first-run checklist stands in the inbox, each item linking to its section.
      const checklist = page.getByTestId('setup-checklist');
      await checklist.waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('checklist-twoFactor').getAttribute('data-done')).toBe('false');
      expect(await noSidewaysScroll(page)).toBe(true);
      await page.getByTestId('checklist-liveChannel').locator('a').click();
      await page.getByTestId('settings-channels').waitFor();

      // Users: an invitation shows its temporary password once.
      await page.getByTestId('settings-tab-users').click();
      await page.getByTestId('invite-name').fill(person);
      await page.getByTestId('invite-email').fill(`invitee-${suffix}@test.local`);
      await page.getByTestId('invite-submit').click();
      const password = await page.getByTestId('temporary-password-value').textContent();
      expect(password).toMatch(/^[\w-]{16}$/);
      await page
        .locator(`[data-testid="user-row"][data-email="invitee-${suffix}@test.local"]`)
        .waitFor();
      // The admin's own account: a second factor can be set up from here.
      await page.getByTestId('two-factor-start').click();
      expect(await page.getByTestId('two-factor-secret').textContent()).toMatch(/^[A-Z2-7]{16,}$/);
      expect(await noSidewaysScroll(page)).toBe(true);

      // Teams: create, add the new user, Monday 09:00-18:00 in Shanghai, a holiday.
      await page.getByTestId('settings-tab-teams').click();
      await page.getByTestId('team-create-name').fill(teamName);
      await page.getByTestId('team-create-submit').click();
      const card = page.locator(`[data-testid="team-card"][data-team="${teamName}"]`);
      await card.waitFor();
      await card.getByTestId('team-member-pick').selectOption({ label: person });
      await card.getByTestId('team-member-add').click();
      await card.getByTestId('team-members').getByText(person).waitFor();
      await card.getByTestId('team-timezone').selectOption('Asia/Shanghai');
      await card.getByTestId('team-all-day').uncheck();
      await card.getByTestId('weekday-1').getByTestId('weekday-open').check();
      await card.getByTestId('weekday-1').getByTestId('weekday-to').fill('17:30');
      await card.getByTestId('holiday-date').fill('2027-02-10');
      await card.getByTestId('holiday-add').click();
      await card.getByTestId('team-hours-save').click();
      const saved = await eventually(async () => {
        const teams = await app.api<{ items: TeamRow[] }>('GET', '/api/v1/teams');
        const t = teams.body.items.find((x) => x.name === teamName);
        return t?.timezone === 'Asia/Shanghai' ? t : null;
      }, 'the team calendar saved');
      expect(saved.businessHours).toEqual({ '1': ['09:00', '17:30'] });
      expect(saved.holidays).toEqual(['2027-02-10']);
      expect(saved.memberIds).toHaveLength(1);
      expect(await noSidewaysScroll(page)).toBe(true);

      // Canned responses: a shortcut and its text.
      await page.getByTestId('settings-tab-canned').click();
      await page.getByTestId('canned-new').click();
      await page.getByTestId('canned-shortcode').fill(`thanks_${suffix}`);
      await page.getByTestId('canned-text').fill('感谢您的耐心等待 / Thank you for waiting');
      await page.getByTestId('canned-save').click();
      await page
        .getByTestId('canned-row')
        .filter({ hasText: `/thanks_${suffix}` })
        .waitFor();
      expect(await noSidewaysScroll(page)).toBe(true);

      // Channels: sandbox transport and the webhook URLs to give Twilio.
      await page.getByTestId('settings-tab-channels').click();
      await page.getByRole('heading', { name: channelsHeading }).waitFor();
      const sms = page.locator('[data-testid="channel-card"][data-channel="sms"]');
      expect(await sms.getByTestId('channel-transport').textContent()).toBe(sandbox);
      expect(await sms.getByTestId('webhook-url').allTextContents()).toEqual([
        expect.stringMatching(/^http:\/\/.+\/webhooks\/twilio\/sms$/),
        expect.stringMatching(/\/webhooks\/twilio\/status$/),
      ]);
      expect(await noSidewaysScroll(page)).toBe(true);

      // Routing defaults: a new order for normal urgency, stored and applied.
      await page.getByTestId('settings-tab-routing').click();
      await page.getByTestId('ranking-normal').fill('wechat, email');
      await page.getByTestId('routing-save').click();
      await eventually(async () => {
        const r = await app.api('GET', '/api/v1/settings/routing-defaults');
        return (
          r.body.source === 'settings' && r.body.defaults.defaultRanking.normal[0] === 'wechat'
        );
      }, 'the routing defaults stored');
      expect(await noSidewaysScroll(page)).toBe(true);

      await page.getByTestId('settings-tab-sla').click();
      await page.getByTestId('settings-sla').waitFor();
      expect(await noSidewaysScroll(page)).toBe(true);
      await context.close();
    },
  );

  it('shows an agent no settings', async () => {
    const { context, page } = await signIn('en', 1280, agentEmail, USER_PASSWORD);
    await page.getByTestId('current-user').filter({ hasText: 'Agent Zhou' }).waitFor();
    expect(await page.getByTestId('nav-settings').count()).toBe(0);
    expect(await page.getByTestId('setup-checklist').count()).toBe(0);
    await page.goto(`${app.url}/#/settings/users`);
    await page.getByTestId('nav-inbox').waitFor();
    expect(await page.getByTestId('settings').count()).toBe(0);
    await context.close();
  });

  it('shows a supervisor only teams, SLA policies, canned responses and automation', async () => {
    const { context, page } = await signIn('zh-CN', 390, supervisorEmail, USER_PASSWORD);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-teams').waitFor();
    const tabs = await page
      .locator('.settings-tabs a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('data-testid')));
    expect(tabs).toEqual([
      'settings-tab-teams',
      'settings-tab-sla',
      'settings-tab-canned',
      'settings-tab-automation',
    ]);
    expect(await page.getByTestId('setup-checklist').count()).toBe(0);
    await context.close();
  });
});
