import { randomUUID } from 'crypto';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * POST /api/v1/routing/simulate on sends made through POST /api/v1/messages (sandbox
 * transports): this file's database holds only them, so the counts are exact.
 */
let app: TestApp;
let seq = 0;

const order = {
  id: 'A-1',
  carrier: 'SF',
  trackingUrl: 'https://t.example/A',
  total: 1,
  currency: 'CNY',
  shippedAt: '2025-03-10T04:00:00Z',
};
const offer = { percent: 10, code: 'S', until: '2030-01-01T00:00:00Z' };
const email = () => `s${++seq}-${randomUUID().slice(0, 6)}@example.com`;
const phone = () => `+861390013${String(1000 + ++seq).padStart(4, '0')}`;

async function customer(channels: Array<'email' | 'sms'>): Promise<string> {
  const identities = channels.map((channel) => ({
    channel,
    address: channel === 'email' ? email() : phone(),
  }));
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: `Sim ${++seq}`,
    timezone: 'UTC',
    identities,
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function send(customerId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await app.api('POST', '/api/v1/messages', {
    customerId,
    topic: 'orders',
    urgency: 'normal',
    purpose: 'transactional',
    template: 'order-shipped',
    data: { order },
    ...extra,
  });
  expect([r.status, r.body.message]).toEqual([202, undefined]);
  return r.body.route.channel as string;
}

const simulate = (body: unknown, token?: string) =>
  app.api('POST', '/api/v1/routing/simulate', body, token);

/** The ranking in force for normal urgency with sms put first. */
const SMS_FIRST = ['sms', 'email', 'wechat', 'livechat'];

/** "HH:00" h hours from now (UTC, the customers' time zone). */
const clock = (h: number) =>
  `${String((new Date().getUTCHours() + h + 24) % 24).padStart(2, '0')}:00`;

/** Quiet hours from 2 hours ago to 3 hours on: the send is held, the simulation decides inside. */
async function quietNow(customerId: string): Promise<void> {
  const r = await app.api('PUT', `/api/v1/customers/${customerId}/preferences`, {
    matrix: [],
    quietHours: { start: clock(-2), end: clock(3) },
  });
  expect(r.status).toBeLessThan(300);
}

beforeAll(async () => {
  app = await startTestApp();
  // Three on email (email and sms; the first in its quiet hours), one on email (no phone), one
  // high urgency on sms.
  const quiet = await customer(['email', 'sms']);
  await quietNow(quiet);
  expect(await send(quiet)).toBe('email');
  for (let i = 0; i < 2; i++) expect(await send(await customer(['email', 'sms']))).toBe('email');
  expect(await send(await customer(['email']))).toBe('email');
  expect(await send(await customer(['email', 'sms']), { urgency: 'high' })).toBe('sms');
  // A marketing message, consent on e-mail only: sms is never allowed for it; in quiet hours.
  const fan = await customer(['email', 'sms']);
  await quietNow(fan);
  const consent = await app.api('POST', `/api/v1/customers/${fan}/consents`, {
    channel: 'email',
    purpose: 'marketing',
    status: 'granted',
    source: 'api',
  });
  expect(consent.status).toBe(201);
  expect(
    await send(fan, {
      topic: 'news',
      purpose: 'marketing',
      template: 'welcome',
      data: { offer, unsubscribeUrl: 'https://u.example/x' },
    }),
  ).toBe('email');
});
afterAll(async () => {
  await app?.close();
});

describe('POST /api/v1/routing/simulate', () => {
  it('counts exactly which sends a changed default ranking moves, and saves nothing', async () => {
    const before = await app.api('GET', '/api/v1/settings/routing-defaults');
    const r = await simulate({ days: 1, proposed: { defaultRanking: { normal: SMS_FIRST } } });
    expect([r.status, r.body.message]).toEqual([200, undefined]);
    expect(r.body).toMatchObject({
      inWindow: 6,
      total: 6,
      skipped: 0,
      sampled: false,
      moved: 3,
      changed: 3,
      window: { days: 1 },
      differFromActual: { current: 0, proposed: 3 },
    });
    expect(r.body.matrix).toEqual([
      { from: 'email', to: 'sms', count: 3 },
      { from: 'email', to: 'email', count: 2 },
      { from: 'sms', to: 'sms', count: 1 },
    ]);
    expect(r.body.current.byChannel).toEqual({ email: 5, sms: 1 });
    expect(r.body.proposed.byChannel).toEqual({ email: 2, sms: 4 });
    expect(r.body.sample).toHaveLength(3);
    const moved = r.body.sample[0];
    expect(moved.current.reasons[0]).toBe('email chosen: default ranking for normal');
    expect(moved.proposed.reasons[0]).toBe('sms chosen: default ranking for normal');
    expect(moved.proposed.explanation.en[0]).toMatch(/SMS/);
    expect(moved.proposed.explanation['zh-CN'][0]).toMatch(/短信/);
    // Nothing stored: the defaults read the same.
    const after = await app.api('GET', '/api/v1/settings/routing-defaults');
    expect(after.body).toEqual(before.body);
    expect(after.body.source).toBe('environment');
  });

  it('an empty proposal moves nothing, and the current policy re-decides the sends as they went', async () => {
    const r = await simulate({});
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 6, moved: 0, changed: 0, sample: [] });
    expect(r.body.differFromActual).toEqual({ current: 0, proposed: 0 });
  });

  it('a cap of 0 a day suppresses the marketing send with reason frequencyCap', async () => {
    // The send's own history (before it) had no marketing: the current cap of 1 lets it go.
    const r = await simulate({ proposed: { frequencyCap: { perDay: 0 } } });
    expect(r.status).toBe(200);
    expect(r.body.current.suppressed.frequencyCap).toBe(0);
    expect(r.body.proposed.suppressed.frequencyCap).toBe(1);
    expect(r.body.matrix).toContainEqual({ from: 'email', to: 'suppressed', count: 1 });
    expect(r.body.sample[0]).toMatchObject({
      purpose: 'marketing',
      proposed: { destination: 'suppressed', suppression: 'frequencyCap' },
    });
  });

  it('quiet hours: suppressing marketing drops the held marketing send', async () => {
    const r = await simulate({ proposed: { quietHours: { suppressPurposes: ['marketing'] } } });
    expect(r.status).toBe(200);
    expect(r.body.current.delayed).toBe(2);
    expect(r.body.proposed.delayed).toBe(1);
    expect(r.body.proposed.suppressed.quietHours).toBe(1);
    expect(r.body.matrix).toContainEqual({ from: 'email', to: 'suppressed', count: 1 });
    expect([r.body.moved, r.body.changed]).toEqual([1, 1]);
    expect(r.body.sample[0].proposed).toMatchObject({
      destination: 'suppressed',
      suppression: 'quietHours',
    });
  });

  it('quiet hours: exempting normal urgency sends both held sends at once', async () => {
    const r = await simulate({ proposed: { quietHours: { exemptUrgencies: ['normal'] } } });
    expect(r.status).toBe(200);
    expect([r.body.current.delayed, r.body.proposed.delayed]).toEqual([2, 0]);
    // Same channel, sooner: changed, not moved.
    expect([r.body.moved, r.body.changed]).toEqual([0, 2]);
    const exempt = r.body.sample[0];
    expect(exempt.current).toMatchObject({ destination: 'email', delayed: true });
    expect(exempt.proposed).toMatchObject({ destination: 'email', delayed: false });
    expect(exempt.proposed.reasons[1]).toMatch(/^normal: sent now despite quiet hours/);
  });

  it('simulates only the latest `limit` sends and says so', async () => {
    const r = await simulate({ limit: 2 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ inWindow: 6, total: 2, sampled: true, limit: 2 });
  });

  it.each([
    [{ days: 0 }, 'days:'],
    [{ days: 91 }, 'days:'],
    [{ limit: 20001 }, 'limit:'],
    [
      { proposed: { defaultRanking: { normal: ['email', 'email'] } } },
      'proposed.defaultRanking.normal',
    ],
    [{ proposed: { defaultRanking: { normal: ['fax'] } } }, 'proposed.defaultRanking.normal.0'],
    [
      { proposed: { frequencyCap: { perDay: 5 } } },
      'proposed.frequencyCap.perWeek: perWeek must be at least perDay',
    ],
    [
      { proposed: { quietHours: { suppressPurposes: ['spam'] } } },
      'proposed.quietHours.suppressPurposes.0',
    ],
    [{ proposed: { colour: 'red' } }, 'proposed'],
  ])('refuses %j with a 400 naming the field', async (body, field) => {
    const r = await simulate(body);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(field);
  });

  it('answers admins and supervisors, refuses agents and marketers', async () => {
    for (const role of ['supervisor', 'agent', 'marketer'] as const) {
      const { token } = await app.userToken(role);
      const r = await simulate({ limit: 1 }, token);
      expect([role, r.status]).toEqual([role, role === 'supervisor' ? 200 : 403]);
    }
  });
});
