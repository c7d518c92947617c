import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('GET /api/v1/customers/:id/activity', () => {
  it('counts messages per channel and direction, lists the latest without text, proves addresses', async () => {
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: '周敏',
      identities: [
        { channel: 'sms', address: '+8613700000011' },
        { channel: 'email', address: 'zhou.min@example.cn' },
      ],
    });
    expect(c.status).toBe(201);
    for (const text of ['你好', '订单什么时候到？']) {
      const r = await app.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'sms',
        from: '+8613700000011',
        text,
      });
      expect(r.status).toBeLessThan(300);
    }
    const marketer = await app.userToken('marketer');
    const r = await app.api(
      'GET',
      `/api/v1/customers/${c.body.id}/activity`,
      undefined,
      marketer.token,
    );
    expect(r.status).toBe(200);
    expect(r.body.channels).toEqual([{ channel: 'sms', inbound: 2, outbound: 0 }]);
    expect(r.body.lastInboundAt).not.toBeNull();
    expect(r.body.lastOutboundAt).toBeNull();
    expect(r.body.latest).toHaveLength(2);
    expect(r.body.latest[0]).toMatchObject({ channel: 'sms', direction: 'inbound' });
    expect(JSON.stringify(r.body)).not.toContain('订单');
    const byKind = Object.fromEntries(
      (r.body.identities as Array<{ kind: string; verifiedBy: string | null }>).map((i) => [
        i.kind,
        i.verifiedBy,
      ]),
    );
    expect(byKind).toEqual({ phone: 'inbound', email: null });

    const missing = await app.api(
      'GET',
      '/api/v1/customers/00000000-0000-4000-8000-000000000000/activity',
    );
    expect(missing.status).toBe(404);
  });
});
