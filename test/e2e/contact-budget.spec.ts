import { DataSource } from 'typeorm';
import { CsatRepository } from '../../src/inbox/csat.repository';
import { SlaRepository } from '../../src/inbox/sla.repository';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let db: DataSource;
let marketer: string;
let agent: string;
let seq = 0;

const offer = { percent: 15, code: 'SPRING', until: '2030-05-01T00:00:00Z' };
const phone = () => `+8613900139${String(100 + ++seq).padStart(3, '0')}`;

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

/** A customer who wrote in by SMS (an open conversation), with SMS marketing consent. */
async function writesIn(text: string): Promise<{
  customerId: string;
  conversationId: string;
  messageId: string;
}> {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'sms',
    from: phone(),
    text,
  });
  expect(r.status).toBeLessThan(300);
  const customerId = r.body.conversation.customerId as string;
  await consentToMarketing(customerId, 'sms');
  return { customerId, conversationId: r.body.conversation.id, messageId: r.body.id };
}

async function consentToMarketing(customerId: string, channel: string): Promise<void> {
  const c = await app.api('POST', `/api/v1/customers/${customerId}/consents`, {
    channel,
    purpose: 'marketing',
    status: 'granted',
    source: 'test',
  });
  expect(c.status).toBe(201);
}

async function resolve(conversationId: string): Promise<void> {
  const r = await app.api('POST', `/api/v1/conversations/${conversationId}/status`, {
    status: 'resolved',
  });
  expect(r.status).toBeLessThan(300);
}

/** A customer of `tag` with an e-mail address and e-mail marketing consent, and nothing open. */
async function quietCustomer(tag: string): Promise<string> {
  const [c] = await q<{ id: string }>(
    `INSERT INTO customers (display_name, tags) VALUES ($1, $2) RETURNING id`,
    [`Quiet ${++seq}`, [tag]],
  );
  await q(
    `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, 'email', 'email', $2)`,
    [c.id, `quiet-${seq}@example.com`],
  );
  await consentToMarketing(c.id, 'email');
  return c.id;
}

async function tag(customerId: string, name: string): Promise<void> {
  await q(`UPDATE customers SET tags = array_append(tags, $2) WHERE id = $1`, [customerId, name]);
}

async function runCampaign(segmentTag: string): Promise<string> {
  const created = await app.api(
    'POST',
    '/api/v1/campaigns',
    {
      name: `Budget ${segmentTag}`,
      segment: { tags: [segmentTag] },
      topic: 'promo',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'welcome',
      data: { offer },
    },
    marketer,
  );
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect(
    (await app.api('POST', `/api/v1/campaigns/${id}/launch`, undefined, marketer)).status,
  ).toBe(202);
  await eventually(
    async () => (await app.api('GET', `/api/v1/campaigns/${id}`)).body.status === 'completed',
    'the campaign to complete',
  );
  return id;
}

type Recipient = {
  customer_id: string;
  status: string;
  suppression: string | null;
  reasons: string[] | null;
};

beforeAll(async () => {
  app = await startTestApp();
  db = app.hub.app.get(DataSource);
  marketer = (await app.userToken('marketer')).token;
  agent = (await app.userToken('agent')).token;
});
afterAll(async () => {
  await app?.close();
});

describe('The contact budget', () => {
  it('refuses a marketing send to a customer with an open conversation (422, contactBudget), and lets service through', async () => {
    const { customerId, conversationId } = await writesIn('where is my refund?');
    const marketing = await app.api('POST', '/api/v1/messages', {
      customerId,
      topic: 'promo',
      urgency: 'normal',
      purpose: 'marketing',
      template: 'welcome',
      data: { offer },
    });
    const [conversation] = await q<{ since: Date }>(
      `SELECT coalesce(sla_cycle_at, created_at) AS since FROM conversations WHERE id = $1`,
      [conversationId],
    );
    const since = `${new Date(conversation.since).toISOString().slice(0, 16)}Z`;
    expect(marketing.status).toBe(422);
    expect(marketing.body.details.suppression).toBe('contactBudget');
    expect(marketing.body.details.reasons).toEqual([
      `held: open support conversation since ${since}`,
    ]);
    expect(marketing.body.message).toContain('(contactBudget)');

    const service = await app.api('POST', '/api/v1/messages', {
      customerId,
      topic: 'account',
      urgency: 'normal',
      purpose: 'service',
      template: 'service-alert',
      data: {
        alert: {
          title: 'Maintenance',
          summary: 'Tonight 22:00-23:00',
          statusUrl: 'https://s.example',
        },
      },
    });
    expect([service.status, service.body.message]).toEqual([202, undefined]);

    // Resolved: marketing goes again.
    await resolve(conversationId);
    const after = await app.api('POST', '/api/v1/messages', {
      customerId,
      topic: 'promo',
      urgency: 'normal',
      purpose: 'marketing',
      template: 'welcome',
      data: { offer },
    });
    expect([after.status, after.body.message]).toEqual([202, undefined]);
  });

  it('sends a campaign to the customer with nothing open and reports the held one as suppressed, with the reason', async () => {
    const held = await writesIn('my parcel never came');
    await tag(held.customerId, 'budget-two');
    const fine = await quietCustomer('budget-two');

    const id = await runCampaign('budget-two');
    const rows = await q<Recipient>(
      `SELECT customer_id, status, suppression, reasons FROM campaign_recipients WHERE campaign_id = $1`,
      [id],
    );
    const byCustomer = new Map(rows.map((r) => [r.customer_id, r]));
    expect(rows).toHaveLength(2);
    expect(byCustomer.get(fine)).toMatchObject({ status: 'sent', suppression: null });
    expect(byCustomer.get(held.customerId)).toMatchObject({
      status: 'suppressed',
      suppression: 'contactBudget',
    });
    expect(byCustomer.get(held.customerId)!.reasons).toEqual([
      expect.stringMatching(/^held: open support conversation since \d{4}-\d\d-\d\dT\d\d:\d\dZ$/),
    ]);
    const stats = await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer);
    expect(stats.body.suppressed).toMatchObject({ contactBudget: 1, total: 1 });
    expect(stats.body.sent).toBe(1);
  });

  it('holds a campaign after an SLA breach and after a low rating, loading both for the batch', async () => {
    const breached = await writesIn('nobody answers');
    await app.hub.app.get(SlaRepository).recordBreach({
      conversation: { id: breached.conversationId, customerId: breached.customerId },
      text: 'SLA first response target missed (test)',
      idempotencyKey: `test-breach-${breached.conversationId}`,
      metadata: { event: 'sla.breached', kind: 'first_response', policy: 'test' },
    });
    await resolve(breached.conversationId);
    await tag(breached.customerId, 'budget-three');

    const unhappy = await writesIn('terrible service');
    const csat = app.hub.app.get(CsatRepository);
    expect(await csat.markRequested(unhappy.conversationId)).not.toBeNull();
    // Recording the score resolves the conversation: only the rating holds.
    expect(
      await csat.recordScore(unhappy.conversationId, unhappy.messageId, {
        score: 1,
        comment: null,
      }),
    ).not.toBeNull();
    await tag(unhappy.customerId, 'budget-three');
    const fine = await quietCustomer('budget-three');

    const id = await runCampaign('budget-three');
    const rows = await q<Recipient>(
      `SELECT customer_id, status, suppression, reasons FROM campaign_recipients WHERE campaign_id = $1`,
      [id],
    );
    const byCustomer = new Map(rows.map((r) => [r.customer_id, r]));
    expect(byCustomer.get(fine)).toMatchObject({ status: 'sent' });
    expect(byCustomer.get(breached.customerId)).toMatchObject({ suppression: 'contactBudget' });
    expect(byCustomer.get(breached.customerId)!.reasons).toEqual([
      expect.stringMatching(/^held: SLA breach on .+Z within 7 days$/),
    ]);
    expect(byCustomer.get(unhappy.customerId)).toMatchObject({
      suppression: 'contactBudget',
      reasons: ['held: last CSAT 1 below 3'],
    });

    // The single-customer read finds the same facts.
    const budget = await app.api(
      'GET',
      `/api/v1/customers/${unhappy.customerId}/contact-budget`,
      undefined,
      agent,
    );
    expect(budget.status).toBe(200);
    expect(budget.body.marketing.holds).toEqual([
      { kind: 'lowCsat', reason: 'held: last CSAT 1 below 3', since: expect.any(String) },
    ]);
  });

  it("answers an agent the customer's marketing left, holds, quiet hours and best channel now", async () => {
    const { customerId } = await writesIn('can you call me?');
    await q(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, purpose, created_at)
       VALUES ($1, 'outbound', 'message', 'sms', 'delivered', 'earlier promo', 'marketing', now() - interval '3 days')`,
      [customerId],
    );
    // Quiet from an hour ago to two hours ahead, in the customer's time zone (UTC here).
    const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const start = clock(Date.now() - 3_600_000);
    const end = clock(Date.now() + 7_200_000);
    await q(`UPDATE customers SET timezone = 'UTC', preferences = $2 WHERE id = $1`, [
      customerId,
      JSON.stringify({ quietHours: { start, end } }),
    ]);

    const r = await app.api(
      'GET',
      `/api/v1/customers/${customerId}/contact-budget`,
      undefined,
      agent,
    );
    expect(r.status).toBe(200);
    expect(r.body.marketing).toEqual({
      sentToday: 0,
      sentThisWeek: 1,
      capPerDay: 1,
      capPerWeek: 3,
      remainingToday: 1,
      remainingThisWeek: 2,
      held: true,
      holds: [
        {
          kind: 'openConversation',
          reason: expect.stringMatching(/^held: open support conversation since /),
          since: expect.any(String),
        },
      ],
    });
    expect(r.body.quietHours).toEqual({
      start,
      end,
      timezone: 'UTC',
      activeNow: true,
      until: expect.any(String),
    });
    expect(new Date(r.body.quietHours.until).toISOString().slice(11, 16)).toBe(end);
    expect(r.body.bestChannelNow).toEqual({
      channel: 'sms',
      address: expect.stringMatching(/^\+86/),
      reasons: expect.arrayContaining([
        'sms chosen: default ranking for normal',
        expect.stringMatching(/^delayed to .*: quiet hours/),
      ]),
    });

    const unknown = await app.api(
      'GET',
      '/api/v1/customers/00000000-0000-4000-8000-000000000000/contact-budget',
    );
    expect(unknown.status).toBe(404);
    const bad = await app.api('GET', '/api/v1/customers/nope/contact-budget');
    expect([bad.status, bad.body.message]).toEqual([400, 'id: must be a UUID']);
  });

  it('documents the route in the OpenAPI document', async () => {
    const doc = await app.api('GET', '/docs/openapi.json', undefined, null);
    const op = doc.body.paths['/api/v1/customers/{id}/contact-budget'].get;
    expect(op.summary).toContain('contact budget');
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties)).toEqual([
      'marketing',
      'quietHours',
      'bestChannelNow',
    ]);
  });
});
