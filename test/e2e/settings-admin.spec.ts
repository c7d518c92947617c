import { UsersService } from '../../src/auth/users.service';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

const NOBODY = '00000000-0000-4000-8000-000000000000';
const ORDER = {
  id: 'A-1001',
  carrier: 'SF',
  trackingUrl: 'https://t.example/A',
  total: 12.5,
  currency: 'CNY',
  shippedAt: '2025-03-10T04:00:00Z',
};

/** The admin-settings routes: each one's happy path, a bad input (400) and a wrong role (403). */
describe('Admin settings API', () => {
  let app: TestApp;
  let agent: { id: string; token: string };
  let supervisor: { id: string; token: string };

  beforeAll(async () => {
    app = await startTestApp();
    agent = await app.userToken('agent', 'Agent Wang');
    supervisor = await app.userToken('supervisor', 'Supervisor Li');
  });
  afterAll(() => app.close());

  describe('users', () => {
    it('invites a user with a temporary password shown once, marked temporary', async () => {
      const r = await app.api('POST', '/api/v1/users', {
        email: 'invited@test.local',
        name: '新同事',
        role: 'agent',
      });
      expect(r.status).toBe(201);
      expect(r.body.temporaryPassword).toMatch(/^[\w-]{16}$/);
      expect(r.body.passwordTemporary).toBe(true);
      expect(r.body.lastLoginAt).toBeNull();
      await app.login('invited@test.local', r.body.temporaryPassword);
      const list = await app.api('GET', '/api/v1/users');
      const row = list.body.items.find((u: { email: string }) => u.email === 'invited@test.local');
      expect(row.lastLoginAt).not.toBeNull();
      expect(row).not.toHaveProperty('temporaryPassword');
    });

    it('resets a password: a temporary one, old sessions end, the old password stops working', async () => {
      const user = await app.userToken('agent');
      const me = await app.api('GET', '/api/v1/auth/me', undefined, user.token);
      const r = await app.api('POST', `/api/v1/users/${user.id}/password`, {});
      expect(r.status).toBe(200);
      expect(typeof r.body.temporaryPassword).toBe('string');
      expect((await app.api('GET', '/api/v1/auth/me', undefined, user.token)).status).toBe(401);
      const login = await app.api(
        'POST',
        '/api/v1/auth/login',
        { email: me.body.email, password: USER_PASSWORD },
        null,
      );
      expect(login.status).toBe(401);
      const token = await app.login(me.body.email, r.body.temporaryPassword);
      const after = await app.api('GET', '/api/v1/auth/me', undefined, token);
      expect(after.body.passwordTemporary).toBe(true);
    });

    it('refuses a weak reset password, an unknown user, and anyone but an admin', async () => {
      const weak = await app.api('POST', `/api/v1/users/${agent.id}/password`, {
        password: 'password',
      });
      expect(weak.status).toBe(400);
      expect(weak.body.message).toMatch(/^password:/);
      const extra = await app.api('POST', `/api/v1/users/${agent.id}/password`, { x: 1 });
      expect(extra.status).toBe(400);
      const missing = await app.api('POST', `/api/v1/users/${NOBODY}/password`, {});
      expect(missing.status).toBe(404);
      const r = await app.api('POST', `/api/v1/users/${agent.id}/password`, {}, supervisor.token);
      expect(r.status).toBe(403);
    });

    it('lets a user replace their own password, which is then no longer temporary', async () => {
      const invited = await app.api('POST', '/api/v1/users', {
        email: 'changer@test.local',
        name: 'Changer',
        role: 'agent',
      });
      const token = await app.login('changer@test.local', invited.body.temporaryPassword);
      const wrong = await app.api(
        'POST',
        '/api/v1/auth/password',
        { currentPassword: 'not-it', newPassword: 'velvet-Harbor-42-orchid' },
        token,
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body.message).toMatch(/currentPassword/);
      const weak = await app.api(
        'POST',
        '/api/v1/auth/password',
        { currentPassword: invited.body.temporaryPassword, newPassword: 'short' },
        token,
      );
      expect(weak.status).toBe(400);
      expect(weak.body.message).toMatch(/^newPassword:/);
      const ok = await app.api(
        'POST',
        '/api/v1/auth/password',
        { currentPassword: invited.body.temporaryPassword, newPassword: 'velvet-Harbor-42-orchid' },
        token,
      );
      expect(ok.status).toBe(204);
      const fresh = await app.login('changer@test.local', 'velvet-Harbor-42-orchid');
      const me = await app.api('GET', '/api/v1/auth/me', undefined, fresh);
      expect(me.body.passwordTemporary).toBe(false);
    });
  });

  describe('teams', () => {
    it('renames, sets hours, holidays and time zone, and removes a member', async () => {
      const team = await app.api('POST', '/api/v1/teams', { name: 'Shanghai desk' });
      expect(team.status).toBe(201);
      await app.api('POST', `/api/v1/teams/${team.body.id}/members`, { userId: agent.id });
      const r = await app.api('PATCH', `/api/v1/teams/${team.body.id}`, {
        name: '上海客服',
        timezone: 'Asia/Shanghai',
        businessHours: { '1': ['09:00', '18:00'], '2': ['09:00', '18:00'] },
        holidays: ['2027-01-01'],
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        name: '上海客服',
        timezone: 'Asia/Shanghai',
        holidays: ['2027-01-01'],
        businessHours: { '1': ['09:00', '18:00'], '2': ['09:00', '18:00'] },
      });
      const open = await app.api('PATCH', `/api/v1/teams/${team.body.id}`, {
        businessHours: null,
      });
      expect(open.body.businessHours).toBeNull();
      expect(open.body.name).toBe('上海客服');
      const removed = await app.api('DELETE', `/api/v1/teams/${team.body.id}/members/${agent.id}`);
      expect(removed.status).toBe(204);
      const again = await app.api('DELETE', `/api/v1/teams/${team.body.id}/members/${agent.id}`);
      expect(again.status).toBe(404);
      const list = await app.api('GET', '/api/v1/teams');
      const row = list.body.items.find((t: { id: string }) => t.id === team.body.id);
      expect(row.memberIds).toEqual([]);
    });

    it('names bad hours, time zones and taken names; refuses agents', async () => {
      const team = await app.api('POST', '/api/v1/teams', { name: 'Beijing desk' });
      await app.api('POST', '/api/v1/teams', { name: 'Other desk' });
      const id = team.body.id as string;
      const backwards = await app.api('PATCH', `/api/v1/teams/${id}`, {
        businessHours: { '1': ['18:00', '09:00'] },
      });
      expect(backwards.status).toBe(400);
      expect(backwards.body.message).toMatch(/businessHours\.1/);
      const zone = await app.api('PATCH', `/api/v1/teams/${id}`, { timezone: 'Mars/Base' });
      expect(zone.status).toBe(400);
      expect(zone.body.message).toMatch(/timezone/);
      expect((await app.api('PATCH', `/api/v1/teams/${id}`, {})).status).toBe(400);
      const taken = await app.api('PATCH', `/api/v1/teams/${id}`, { name: 'Other desk' });
      expect(taken.status).toBe(409);
      expect((await app.api('PATCH', `/api/v1/teams/${NOBODY}`, { name: 'x' })).status).toBe(404);
      const badMember = await app.api('DELETE', `/api/v1/teams/${id}/members/not-a-uuid`);
      expect(badMember.status).toBe(400);
      const asAgent = await app.api('PATCH', `/api/v1/teams/${id}`, { name: 'x' }, agent.token);
      expect(asAgent.status).toBe(403);
      const removeAsAgent = await app.api(
        'DELETE',
        `/api/v1/teams/${id}/members/${agent.id}`,
        undefined,
        agent.token,
      );
      expect(removeAsAgent.status).toBe(403);
      const asSupervisor = await app.api(
        'PATCH',
        `/api/v1/teams/${id}`,
        { name: 'Beijing desk 2' },
        supervisor.token,
      );
      expect(asSupervisor.status).toBe(200);
    });
  });

  describe('canned responses and SLA policies', () => {
    it('edits and deletes a canned response', async () => {
      const c = await app.api('POST', '/api/v1/canned-responses', {
        shortCode: 'hello',
        text: '您好，请问有什么可以帮您？',
      });
      const r = await app.api('PATCH', `/api/v1/canned-responses/${c.body.id}`, {
        shortCode: 'greet',
        title: 'Greeting',
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ shortCode: 'greet', title: 'Greeting', text: c.body.text });
      expect((await app.api('DELETE', `/api/v1/canned-responses/${c.body.id}`)).status).toBe(204);
      expect((await app.api('DELETE', `/api/v1/canned-responses/${c.body.id}`)).status).toBe(404);
    });

    it('names a bad short code and a taken one; refuses agents', async () => {
      const a = await app.api('POST', '/api/v1/canned-responses', { shortCode: 'a1', text: 'A' });
      await app.api('POST', '/api/v1/canned-responses', { shortCode: 'b1', text: 'B' });
      const bad = await app.api('PATCH', `/api/v1/canned-responses/${a.body.id}`, {
        shortCode: 'has space',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/shortCode/);
      const taken = await app.api('PATCH', `/api/v1/canned-responses/${a.body.id}`, {
        shortCode: 'b1',
      });
      expect(taken.status).toBe(409);
      const asAgent = await app.api(
        'DELETE',
        `/api/v1/canned-responses/${a.body.id}`,
        undefined,
        agent.token,
      );
      expect(asAgent.status).toBe(403);
      const editAsAgent = await app.api(
        'PATCH',
        `/api/v1/canned-responses/${a.body.id}`,
        { text: 'x' },
        agent.token,
      );
      expect(editAsAgent.status).toBe(403);
    });

    it('deletes an SLA policy; refuses a bad id and agents', async () => {
      const p = await app.api('POST', '/api/v1/sla-policies', {
        name: 'Urgent',
        firstResponseSeconds: 600,
      });
      const asAgent = await app.api(
        'DELETE',
        `/api/v1/sla-policies/${p.body.id}`,
        undefined,
        agent.token,
      );
      expect(asAgent.status).toBe(403);
      expect((await app.api('DELETE', '/api/v1/sla-policies/nope')).status).toBe(400);
      expect((await app.api('DELETE', `/api/v1/sla-policies/${p.body.id}`)).status).toBe(204);
      const list = await app.api('GET', '/api/v1/sla-policies');
      expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(p.body.id);
    });
  });

  describe('channels', () => {
    it('lists each channel with transport, health, circuit and webhook URLs from PUBLIC_URL', async () => {
      const r = await app.api('GET', '/api/v1/settings/channels');
      expect(r.status).toBe(200);
      const sms = r.body.items.find((c: { channel: string }) => c.channel === 'sms');
      expect(sms).toMatchObject({ transport: 'sandbox', health: 'up', circuit: 'up' });
      expect(sms.webhooks).toEqual([
        { purpose: 'incoming', url: `${r.body.publicUrl}/webhooks/twilio/sms` },
        { purpose: 'status', url: `${r.body.publicUrl}/webhooks/twilio/status` },
      ]);
      const voice = r.body.items.find((c: { channel: string }) => c.channel === 'voice');
      expect(voice.webhooks[0].url).toBe(`${r.body.publicUrl}/webhooks/twilio/voice`);
      const asSupervisor = await app.api(
        'GET',
        '/api/v1/settings/channels',
        undefined,
        supervisor.token,
      );
      expect(asSupervisor.status).toBe(403);
    });
  });

  describe('routing defaults', () => {
    const defaults = {
      defaultRanking: {
        low: ['email'],
        normal: ['wechat', 'email'],
        high: ['sms', 'email'],
        critical: ['voice', 'sms'],
      },
      frequencyCap: { perDay: 2, perWeek: 5 },
      fallbackSeconds: { normal: 1800, high: 300, critical: 30, criticalRead: 0 },
    };

    it('reads env defaults, stores new ones that routing applies at once, and resets', async () => {
      const before = await app.api('GET', '/api/v1/settings/routing-defaults');
      expect(before.status).toBe(200);
      expect(before.body.source).toBe('environment');
      expect(before.body.defaults.frequencyCap).toEqual({ perDay: 1, perWeek: 3 });
      const customer = await app.api('POST', '/api/v1/customers', {
        displayName: 'Routing Zhang',
        identities: [
          { channel: 'email', address: 'zhang@example.cn' },
          { channel: 'wechat', address: 'wx_zhang' },
        ],
      });
      const preview = () =>
        app.api('POST', '/api/v1/routing/preview', {
          customerId: customer.body.id,
          topic: 'orders',
          urgency: 'normal',
          purpose: 'transactional',
          template: 'order-shipped',
          data: { order: ORDER },
        });
      const first = await preview();
      expect([first.status, first.body.route?.channel]).toEqual([200, 'email']);
      const put = await app.api('PUT', '/api/v1/settings/routing-defaults', defaults);
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ source: 'settings', defaults });
      const after = await preview();
      expect([after.status, after.body.route?.channel]).toEqual([200, 'wechat']);
      const reset = await app.api('DELETE', '/api/v1/settings/routing-defaults');
      expect(reset.body.source).toBe('environment');
      expect((await preview()).body.route.channel).toBe('email');
    });

    it('names what is wrong in bad defaults; refuses supervisors', async () => {
      const bad = await app.api('PUT', '/api/v1/settings/routing-defaults', {
        ...defaults,
        defaultRanking: { ...defaults.defaultRanking, low: ['fax'] },
        frequencyCap: { perDay: 5, perWeek: 1 },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/defaultRanking\.low\.0/);
      expect(bad.body.message).toMatch(/frequencyCap\.perWeek/);
      const twice = await app.api('PUT', '/api/v1/settings/routing-defaults', {
        ...defaults,
        defaultRanking: { ...defaults.defaultRanking, high: ['sms', 'sms'] },
      });
      expect(twice.status).toBe(400);
      const asSupervisor = await app.api(
        'PUT',
        '/api/v1/settings/routing-defaults',
        defaults,
        supervisor.token,
      );
      expect(asSupervisor.status).toBe(403);
    });
  });

  describe('first-run checklist', () => {
    it('lists what is left, links each item to a section, and refuses agents', async () => {
      const r = await app.api('GET', '/api/v1/settings/checklist');
      expect(r.status).toBe(200);
      const byKey = Object.fromEntries(
        r.body.items.map((i: { key: string; done: boolean }) => [i.key, i.done]),
      );
      // The test admin's password was given (ADMIN_PASSWORD), not generated.
      expect(byKey).toMatchObject({ adminPassword: true, twoFactor: false, liveChannel: false });
      expect(r.body.complete).toBe(false);
      expect(r.body.items.find((i: { key: string }) => i.key === 'team').section).toBe('teams');
      const asAgent = await app.api('GET', '/api/v1/settings/checklist', undefined, agent.token);
      expect(asAgent.status).toBe(403);
    });

    it('keeps a generated admin password on the list until its owner replaces it', async () => {
      const generated = 'Generated-Admin-Pw-7391';
      await app.hub.app.get(UsersService).ensureAdmin('first-admin@test.local', generated, true);
      const adminPasswordDone = async () =>
        (
          (await app.api('GET', '/api/v1/settings/checklist')).body.items as Array<{
            key: string;
            done: boolean;
          }>
        ).find((i) => i.key === 'adminPassword')!.done;
      expect(await adminPasswordDone()).toBe(false);
      const token = await app.login('first-admin@test.local', generated);
      const changed = await app.api(
        'POST',
        '/api/v1/auth/password',
        { currentPassword: generated, newPassword: 'amber-Kestrel-58-violin' },
        token,
      );
      expect(changed.status).toBe(204);
      expect(await adminPasswordDone()).toBe(true);
    });
  });
});
