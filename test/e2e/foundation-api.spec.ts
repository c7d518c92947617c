import { startTestApp, type TestApp } from '../support/test-app';

describe('Foundation API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  describe('auth', () => {
    it('logs in with the configured admin and refuses a wrong password', async () => {
      const ok = await app.api(
        'POST',
        '/api/v1/auth/login',
        { email: 'ADMIN@test.local', password: 'admin-password-1' },
        null,
      );
      expect(ok.status).toBe(200);
      expect(ok.body.user.role).toBe('admin');
      const bad = await app.api(
        'POST',
        '/api/v1/auth/login',
        { email: 'admin@test.local', password: 'nope' },
        null,
      );
      expect(bad.status).toBe(401);
      expect(bad.body).toMatchObject({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'wrong email or password',
      });
    });

    it('needs a token, and a valid one', async () => {
      expect((await app.api('GET', '/api/v1/auth/me', undefined, null)).status).toBe(401);
      const forged = await app.api(
        'GET',
        '/api/v1/auth/me',
        undefined,
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad',
      );
      expect(forged.status).toBe(401);
      expect(forged.body.message).toMatch(/invalid or expired token/);
    });

    it('applies roles: only admins create users, marketers cannot read timelines', async () => {
      const agent = await app.userToken('agent');
      const marketer = await app.userToken('marketer');
      const r = await app.api(
        'POST',
        '/api/v1/users',
        { email: 'x@test.local', name: 'X', password: 'password-123', role: 'agent' },
        agent.token,
      );
      expect(r.status).toBe(403);
      const c = await app.api('POST', '/api/v1/customers', { displayName: 'Roles' });
      expect(
        (await app.api('GET', `/api/v1/customers/${c.body.id}/timeline`, undefined, marketer.token))
          .status,
      ).toBe(403);
      expect(
        (await app.api('GET', `/api/v1/customers/${c.body.id}/timeline`, undefined, agent.token))
          .status,
      ).toBe(200);
    });

    it('stores passwords hashed with argon2id', async () => {
      const { DataSource } = await import('typeorm');
      const rows = (await app.hub.app
        .get(DataSource)
        .query(`SELECT password_hash FROM users WHERE email = 'admin@test.local'`)) as Array<{
        password_hash: string;
      }>;
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });
  });

  describe('customers', () => {
    it('creates, reads, updates and looks up by any normalized identity', async () => {
      const created = await app.api('POST', '/api/v1/customers', {
        displayName: '王小明',
        locale: 'zh-CN',
        timezone: 'Asia/Shanghai',
        identities: [
          { channel: 'email', address: 'Wang.XM@Example.cn' },
          { channel: 'sms', address: '+86 138 0013 8000' },
        ],
        tags: ['vip'],
      });
      expect(created.status).toBe(201);
      expect(created.body.identities.map((i: { address: string }) => i.address)).toEqual([
        'wang.xm@example.cn',
        '+8613800138000',
      ]);
      const byVoice = await app.api(
        'GET',
        `/api/v1/customers?identity=${encodeURIComponent('voice:+8613800138000')}`,
      );
      expect(byVoice.status).toBe(200);
      expect(byVoice.body.id).toBe(created.body.id);
      const byEmail = await app.api(
        'GET',
        `/api/v1/customers?identity=${encodeURIComponent('email:WANG.xm@example.cn')}`,
      );
      expect(byEmail.body.id).toBe(created.body.id);
      const patched = await app.api('PATCH', `/api/v1/customers/${created.body.id}`, {
        tags: ['vip', 'b2b'],
        attributes: { tone: 'technical' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        tags: ['vip', 'b2b'],
        attributes: { tone: 'technical' },
        displayName: '王小明',
      });
      expect((await app.api('GET', `/api/v1/customers/${created.body.id}`)).body.tags).toEqual([
        'vip',
        'b2b',
      ]);
    });

    it('refuses an identity that already belongs to someone else, naming it', async () => {
      await app.api('POST', '/api/v1/customers', {
        displayName: 'A',
        identities: [{ channel: 'wechat', address: 'wx_taken' }],
      });
      const r = await app.api('POST', '/api/v1/customers', {
        displayName: 'B',
        identities: [{ channel: 'wechat', address: 'wx_taken' }],
      });
      expect(r.status).toBe(409);
      expect(r.body.message).toMatch(/identities\.0: wechat:wx_taken already belongs/);
    });

    it('merges a duplicate: identities and timeline move to the survivor', async () => {
      const s1 = await app.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'email',
        from: 'merge.me@example.com',
        text: 'by email',
      });
      const s2 = await app.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'wechat',
        from: 'wx_merge_me',
        text: '微信消息',
      });
      expect(s1.body.customerId).not.toBe(s2.body.customerId);
      const merged = await app.api('POST', `/api/v1/customers/${s1.body.customerId}/merge`, {
        duplicateId: s2.body.customerId,
      });
      expect(merged.status).toBe(201);
      expect(merged.body.identities.map((i: { channel: string }) => i.channel).sort()).toEqual([
        'email',
        'wechat',
      ]);
      const tl = await app.api('GET', `/api/v1/customers/${s1.body.customerId}/timeline`);
      expect(tl.body.items.map((m: { text: string }) => m.text)).toEqual(['微信消息', 'by email']);
      const gone = await app.api('GET', `/api/v1/customers/${s2.body.customerId}`);
      expect(gone.status).toBe(404);
      expect(gone.body.message).toMatch(/merged into/);
      const self = await app.api('POST', `/api/v1/customers/${s1.body.customerId}/merge`, {
        duplicateId: s1.body.customerId,
      });
      expect(self.status).toBe(400);
    });
  });

  describe('timeline', () => {
    it('pages newest first across channels with a keyset cursor', async () => {
      const first = await app.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'sms',
        from: '+14155550199',
        text: 'm0',
      });
      const customerId = first.body.customerId as string;
      await app.api('PATCH', `/api/v1/customers/${customerId}`, {
        identities: [{ channel: 'email', address: 'pager@example.com' }],
      });
      for (let i = 1; i < 7; i++) {
        await app.api('POST', '/api/v1/sandbox/inbound', {
          channel: i % 2 ? 'email' : 'sms',
          from: i % 2 ? 'pager@example.com' : '+14155550199',
          text: `m${i}`,
        });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: {
          status: number;
          body: { items: Array<{ text: string; channel: string }>; nextCursor: string | null };
        } = await app.api(
          'GET',
          `/api/v1/customers/${customerId}/timeline?limit=3${cursor ? `&before=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((m) => m.text));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
      const bad = await app.api('GET', `/api/v1/customers/${customerId}/timeline?before=garbage`);
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^before: /);
    });
  });

  describe('sandbox', () => {
    it('acts as a customer and returns the same message for a retried provider id', async () => {
      const body = { channel: 'sms', from: '+8613711112222', text: '你好', id: 'SM-retry-1' };
      const a = await app.api('POST', '/api/v1/sandbox/inbound', body);
      const b = await app.api('POST', '/api/v1/sandbox/inbound', body);
      expect(a.status).toBe(201);
      expect(a.body.created).toBe(true);
      expect(b.body.created).toBe(false);
      expect(b.body.id).toBe(a.body.id);
    });

    it('lists what the sandbox transports sent', async () => {
      const { OutboundService } = await import('../../src/delivery/outbound.service');
      const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'sms',
        from: '+8613722223333',
        text: 'hi',
      });
      await app.hub.app.get(OutboundService).send({
        customerId: inbound.body.customerId,
        conversationId: inbound.body.conversationId,
        channel: 'sms',
        text: 'we are on it',
        purpose: 'service',
      });
      const { eventually } = await import('../support/test-app');
      const item = await eventually(async () => {
        const r = await app.api(
          'GET',
          '/api/v1/sandbox/outbox?channel=sms&to=%2B86%20137%202222%203333',
        );
        return r.body.items[0];
      }, 'the sandbox send');
      expect(item).toMatchObject({ channel: 'sms', to: '+8613722223333', text: 'we are on it' });
    });
  });

  describe('bad input', () => {
    it.each([
      ['malformed JSON', '/api/v1/customers', '{"displayName": ', 400, /malformed JSON/],
      ['a missing field', '/api/v1/customers', { identities: [] }, 400, /^displayName: /],
      [
        'an unknown channel',
        '/api/v1/sandbox/inbound',
        { channel: 'fax', from: 'x', text: 'y' },
        400,
        /^channel: /,
      ],
      [
        'an invalid phone',
        '/api/v1/customers',
        { displayName: 'P', identities: [{ channel: 'sms', address: '12' }] },
        400,
        /identities\.0\.address: "12" is not a valid phone number/,
      ],
      [
        'an invalid e-mail',
        '/api/v1/sandbox/inbound',
        { channel: 'email', from: 'nobody', text: 'y' },
        400,
        /^from: "nobody" is not a valid e-mail/,
      ],
      [
        'an unknown time zone',
        '/api/v1/customers',
        { displayName: 'T', timezone: 'Mars/Base' },
        400,
        /^timezone: must be an IANA time zone/,
      ],
      [
        'an oversize text',
        '/api/v1/sandbox/inbound',
        { channel: 'sms', from: '+14155550100', text: 'x'.repeat(20_001) },
        400,
        /^text: /,
      ],
      [
        'an oversize body',
        '/api/v1/customers',
        { displayName: 'x', attributes: { blob: 'y'.repeat(1_100_000) } },
        413,
        /exceeds the limit/,
      ],
    ])('answers %s with a clear error naming it', async (_what, path, body, status, message) => {
      const r = await app.api('POST', path, body);
      expect(r.status).toBe(status);
      expect(r.body.statusCode).toBe(status);
      expect(r.body.message).toMatch(message);
      expect(r.body.correlationId).toBeTruthy();
    });

    it('answers a bad id with 400 and an unknown one with 404', async () => {
      const bad = await app.api('GET', '/api/v1/customers/not-a-uuid');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toBe('id: must be a UUID');
      const badMessage = await app.api('GET', '/api/v1/messages/abc');
      expect(badMessage.status).toBe(400);
      expect(badMessage.body.message).toBe('id: must be a UUID');
      const r = await app.api('GET', '/api/v1/customers/00000000-0000-4000-8000-000000000000');
      expect(r.status).toBe(404);
      expect(r.body.message).toMatch(/customer .* not found/);
    });
  });

  describe('operations', () => {
    it('reports health of database, queue and channels', async () => {
      const r = await app.api('GET', '/health', undefined, null);
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('ok');
      expect(r.body.details.database.status).toBe('up');
      expect(r.body.details.queue.status).toBe('up');
      expect(r.body.details.channels.sms).toBeTruthy();
    });

    it('exposes Prometheus metrics and the OpenAPI document', async () => {
      const m = await fetch(`${app.url}/metrics`);
      const text = await m.text();
      expect(text).toMatch(/hub_http_request_duration_seconds_bucket/);
      expect(text).toMatch(/hub_inbound_messages_total\{channel="sms"\} \d+/);
      const doc = await app.api('GET', '/docs/openapi.json', undefined, null);
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/customers',
          '/api/v1/sandbox/inbound',
          '/api/v1/auth/login',
        ]),
      );
    });
  });
});
