import { DataSource } from 'typeorm';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let db: DataSource;
let marketer: string;
/** Service campaigns (a crisis broadcast, a service notice) are a supervisor's: marketers send only marketing. */
let supervisor: string;

const TIMEZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Not/AZone'];
const offer = { percent: 15, code: 'SPRING', until: '2030-05-01T00:00:00Z' };

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

/**
 * 200 tagged customers with mixed identities, marketing consents, preference matrices, quiet
 * hours, timezones and recent marketing (frequency cap), plus 20 untagged ones outside the segment.
 */
async function seed(tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 220; i++) {
    const inSegment = i < 200;
    const prefs = {
      matrix: i % 7 === 0 ? [{ topic: 'promo', urgency: '*', channels: ['sms', 'email'] }] : [],
      quietHours: i % 10 === 0 ? { start: '00:00', end: '23:59' } : null,
    };
    const [c] = await q<{ id: string }>(
      `INSERT INTO customers (display_name, timezone, tags, preferences, attributes) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [
        `Fan ${tag} ${i}`,
        TIMEZONES[i % TIMEZONES.length],
        inSegment ? [tag] : ['other'],
        JSON.stringify(prefs),
        JSON.stringify({ n: i }),
      ],
    );
    ids.push(c.id);
    if (i % 5 !== 4)
      await q(
        `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, 'email', 'email', $2)`,
        [c.id, `fan-${tag}-${i}@example.com`],
      );
    if (i % 3 === 0)
      await q(
        `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, 'phone', 'sms', $2)`,
        [c.id, `+86139${tag.length}${String(100000 + i * 7).padStart(7, '0')}`],
      );
    if (i % 4 === 0 || i % 4 === 1)
      await q(
        `INSERT INTO consents (customer_id, channel, purpose, status, source) VALUES ($1, 'email', 'marketing', 'granted', 'seed')`,
        [c.id],
      );
    if (i % 4 === 1 && i % 8 === 1)
      await q(
        `INSERT INTO consents (customer_id, channel, purpose, status, source) VALUES ($1, 'email', 'marketing', 'revoked', 'seed')`,
        [c.id],
      );
    if (i % 6 === 0)
      await q(
        `INSERT INTO consents (customer_id, channel, purpose, status, source) VALUES ($1, 'sms', 'marketing', 'granted', 'seed')`,
        [c.id],
      );
    if (i % 9 === 0) {
      await q(
        `INSERT INTO messages (customer_id, direction, kind, channel, status, text, purpose, created_at) VALUES ($1, 'outbound', 'message', 'email', 'delivered', 'earlier promo', 'marketing', now() - interval '2 hours')`,
        [c.id],
      );
    }
  }
  return ids;
}

/**
 * The campaign's fan-out is done: it completed, or runs on only for the sends quiet hours hold
 * (it completes once they went). Answers the campaign.
 */
async function fannedOut(id: string, what: string, timeoutMs = 30_000) {
  return eventually(
    async () => {
      const [row] = await q<{ fanned_out_at: Date | null }>(
        `SELECT fanned_out_at FROM campaigns WHERE id = $1`,
        [id],
      );
      if (!row?.fanned_out_at) return null;
      return (await app.api('GET', `/api/v1/campaigns/${id}`, undefined, marketer)).body;
    },
    what,
    timeoutMs,
  );
}

beforeAll(async () => {
  app = await startTestApp();
  db = app.hub.app.get(DataSource);
  marketer = (await app.userToken('marketer')).token;
  supervisor = (await app.userToken('supervisor')).token;
});
afterAll(async () => {
  await app?.close();
});

describe('Campaigns over HTTP', () => {
  it('previews the segment, fans out to 200 customers in batches, and the stats add up by reason', async () => {
    const ids = await seed('spring');
    const preview = await app.api(
      'POST',
      '/api/v1/campaigns/segments/preview',
      { segment: { tags: ['spring'] } },
      marketer,
    );
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ count: 200 });

    const created = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: 'Spring sale',
        segment: { tags: ['spring'] },
        topic: 'promo',
        purpose: 'marketing',
        urgency: 'normal',
        template: 'welcome',
        data: { offer },
        batchSize: 37,
      },
      marketer,
    );
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    const id = created.body.id as string;

    const progress: number[] = [];
    const { DomainEvents } = await import('../../src/events/domain-events');
    const off = app.hub.app.get(DomainEvents).on('campaign.progress', (e) => {
      if (e.campaignId === id) progress.push(e.recipients);
    });
    const launched = await app.api('POST', `/api/v1/campaigns/${id}/launch`, undefined, marketer);
    expect(launched.status).toBe(202);
    expect(launched.body.status).toBe('running');
    // Customers in quiet hours all day hold their sends: the campaign runs on for them.
    const done = await fannedOut(id, 'the fan-out to end');
    expect(done.status).toBe('running');
    off();
    expect(done.progress.batches).toBe(Math.ceil(200 / 37));
    expect(progress.length).toBeGreaterThanOrEqual(6);
    // Cumulative counts; two batch runners may report out of order.
    expect(Math.max(...progress)).toBe(200);

    const stats = (await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer)).body;
    expect(stats.recipients).toBe(200);
    const s = stats.suppressed;
    expect(
      stats.sent + stats.scheduled + s.noConsent + s.quietHours + s.frequencyCap + s.noChannel,
    ).toBe(200);
    expect(s.total).toBe(200 - stats.targeted);
    expect(stats.targeted).toBe(stats.sent + stats.scheduled);
    expect(s.frequencyCap).toBe(ids.slice(0, 200).filter((_, i) => i % 9 === 0).length);
    expect(s.noConsent).toBeGreaterThan(0);
    expect(stats.sent).toBeGreaterThan(0);
    expect(Object.keys(stats.byChannel).sort()).toEqual(['email', 'sms']);
    expect(stats.byChannel.email.unitPrice).toBe(0.001);
    expect(stats.byChannel.sms.cost).toBeCloseTo(0.05 * stats.byChannel.sms.sent, 6);

    // Every message went out on a channel with marketing consent granted; nobody got two.
    const sentRows = await q<{
      customer_id: string;
      channel: string;
      consent: string | null;
      n: number;
    }>(
      `SELECT r.customer_id, r.channel, (SELECT status FROM consents k WHERE k.customer_id = r.customer_id AND k.channel = r.channel AND k.purpose = 'marketing' ORDER BY seq DESC LIMIT 1) AS consent,
              (SELECT count(*)::int FROM messages m WHERE m.customer_id = r.customer_id AND m.idempotency_key LIKE 'campaign:%') AS n
       FROM campaign_recipients r WHERE r.campaign_id = $1 AND r.status = 'sent'`,
      [id],
    );
    expect(sentRows).toHaveLength(stats.targeted);
    for (const r of sentRows) {
      expect(r.consent).toBe('granted');
      expect(r.n).toBe(1);
    }
    // Customers without any granted marketing consent are suppressed (noConsent or noChannel), never sent.
    const unconsented = ids
      .slice(0, 200)
      .filter((_, i) => !(i % 4 === 0 || (i % 4 === 1 && i % 8 !== 1)) && i % 6 !== 0);
    const theirs = await q<{ status: string; suppression: string }>(
      `SELECT status, suppression FROM campaign_recipients WHERE campaign_id = $1 AND customer_id = ANY($2::uuid[])`,
      [id, unconsented],
    );
    expect(theirs).toHaveLength(unconsented.length);
    for (const r of theirs) expect(r.status).toBe('suppressed');
    // The untagged customers were never considered.
    expect(
      await q(
        `SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND customer_id = ANY($2::uuid[])`,
        [id, ids.slice(200)],
      ),
    ).toHaveLength(0);

    // Quiet hours delay (marketing is delayed, not dropped, by default); the others are delivered by the sandbox.
    const delayed = (
      await q<{ n: number }>(
        `SELECT count(*)::int AS n FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = $1 AND m.send_at IS NOT NULL`,
        [id],
      )
    )[0].n;
    expect(delayed).toBeGreaterThan(0);
    expect(stats.scheduled).toBe(delayed);
    expect(stats.scheduledFirstAt).not.toBeNull();
    const final = await eventually(
      async () => {
        const r = (await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer)).body;
        return r.delivered === r.sent ? r : null;
      },
      'every non-delayed campaign message to be delivered',
      30_000,
    );
    // Held sends are scheduled, not sent: every sent one was delivered.
    expect(final.rates.delivery).toBe(1);
    expect(final.status).toBe('running');
    const mail = await q<{ payload: { headers?: Record<string, string> }; html: string }>(
      `SELECT s.payload, s.html FROM sandbox_outbox s JOIN campaign_recipients r ON r.message_id = s.message_id WHERE r.campaign_id = $1 AND s.channel = 'email' LIMIT 1`,
      [id],
    );
    expect(mail[0].html).toContain('/t/o/');
    expect(mail[0].html).toContain('/u/');
  });

  it('splits A/B variants by weight and records the variant per recipient', async () => {
    await seed('ab');
    const v = await app.api(
      'POST',
      '/api/v1/templates',
      {
        key: 'welcome-b',
        channel: 'email',
        locale: 'en',
        subject: 'B for {{customer.name}}',
        body: '<p>Variant B {{offer.code}} <a href="{{unsubscribeUrl}}">stop</a></p>',
      },
      marketer,
    );
    expect(v.status).toBe(201);
    const c = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: 'AB',
        segment: { tags: ['ab'] },
        topic: 'promo',
        purpose: 'marketing',
        urgency: 'normal',
        template: 'welcome',
        data: { offer },
        variants: [
          { template: 'welcome', weight: 1 },
          { template: 'welcome-b', weight: 1 },
        ],
      },
      marketer,
    );
    expect(c.status).toBe(201);
    await app.api('POST', `/api/v1/campaigns/${c.body.id}/launch`, undefined, marketer);
    await fannedOut(c.body.id as string, 'the A/B campaign');
    const byVariant = await q<{ variant: string; n: number }>(
      `SELECT variant, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY variant ORDER BY variant`,
      [c.body.id],
    );
    expect(byVariant.map((r) => r.variant)).toEqual(['A', 'B']);
    for (const r of byVariant) expect(r.n).toBeGreaterThan(60);
    const bMail = await q<{ text: string }>(
      `SELECT m.text FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = $1 AND r.variant = 'B' AND r.channel = 'email' LIMIT 1`,
      [c.body.id],
    );
    expect(bMail[0].text).toContain('Variant B SPRING');
  });

  it('pauses (no further batches), resumes from the cursor, and cancels', async () => {
    await seed('pause');
    const c = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: 'Slow',
        segment: { tags: ['pause'] },
        topic: 'promo',
        purpose: 'marketing',
        urgency: 'low',
        template: 'welcome',
        data: { offer },
        batchSize: 20,
        ratePerSecond: 20,
      },
      marketer,
    );
    const id = c.body.id as string;
    await app.api('POST', `/api/v1/campaigns/${id}/launch`, undefined, marketer);
    await eventually(
      async () => (await app.api('GET', `/api/v1/campaigns/${id}`)).body.progress.batches >= 1,
      'the first batch',
    );
    const paused = await app.api('POST', `/api/v1/campaigns/${id}/pause`, undefined, marketer);
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    const atPause = (await app.api('GET', `/api/v1/campaigns/${id}`)).body.progress
      .recipients as number;
    // The batch already staged runs, sees the pause and stands down: no recipients are added afterwards.
    await eventually(
      async () => {
        const rows = await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox_jobs WHERE queue = 'campaigns' AND payload->>'campaignId' = $1 AND status IN ('pending','running')`,
          [id],
        );
        return rows[0].n === 0;
      },
      'pending batch jobs to stand down',
      10_000,
    );
    expect((await app.api('GET', `/api/v1/campaigns/${id}`)).body.progress.recipients).toBe(
      atPause,
    );
    expect(atPause).toBeLessThan(200);
    expect(
      (await app.api('POST', `/api/v1/campaigns/${id}/pause`, undefined, marketer)).status,
    ).toBe(409);

    const resumed = await app.api('POST', `/api/v1/campaigns/${id}/resume`, undefined, marketer);
    expect(resumed.status).toBe(202);
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${id}`)).body.progress.recipients > atPause,
      'a batch after resume',
    );
    const heldSql = `SELECT count(*)::int AS n FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
       WHERE r.campaign_id = $1 AND m.status = 'queued' AND m.send_at > now()`;
    const [held] = await q<{ n: number }>(heldSql, [id]);
    expect(held.n).toBeGreaterThan(0); // quiet hours all day
    const cancelled = await app.api('POST', `/api/v1/campaigns/${id}/cancel`, undefined, marketer);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    // The sends quiet hours held go no more: cancelled, not scheduled, not sent.
    expect((await q<{ n: number }>(heldSql, [id]))[0].n).toBe(0);
    const after = (await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer)).body;
    expect(after).toEqual(expect.objectContaining({ cancelled: held.n, scheduled: 0 }));
    expect(
      (await app.api('POST', `/api/v1/campaigns/${id}/resume`, undefined, marketer)).status,
    ).toBe(409);
    const counts = await q<{ n: number; d: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT customer_id)::int AS d FROM campaign_recipients WHERE campaign_id = $1`,
      [id],
    );
    expect(counts[0].n).toBe(counts[0].d);
  });

  it('sends a crisis broadcast only from a pre-approved template, at once, with the fallback chain armed', async () => {
    const refused = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: 'Bad crisis',
        segment: { tags: ['spring'] },
        topic: 'outage',
        purpose: 'service',
        urgency: 'critical',
        template: 'welcome',
      },
      supervisor,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('template');
    expect(refused.body.message).toContain('pre-approved');
    const c = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: 'Outage',
        segment: { tags: ['spring'], attributes: { n: { lt: 30 } } },
        topic: 'outage',
        purpose: 'service',
        urgency: 'critical',
        template: 'service-alert',
        data: {
          alert: {
            title: 'Outage',
            summary: 'We are on it.',
            statusUrl: 'https://status.example.com/x',
          },
        },
      },
      supervisor,
    );
    expect(c.status).toBe(201);
    await app.api('POST', `/api/v1/campaigns/${c.body.id}/launch`, undefined, supervisor);
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${c.body.id}`)).body.status === 'completed',
      'the crisis broadcast',
    );
    const rows = await q<{
      channel: string;
      send_at: Date | null;
      text: string;
      fallbacks: number;
      timers: number;
    }>(
      `SELECT m.channel, m.send_at, m.text, jsonb_array_length(m.route->'fallbacks') AS fallbacks,
              (SELECT count(*)::int FROM outbox_jobs j
                WHERE j.queue = 'timers' AND j.name = 'campaign-chunk' AND j.payload->>'kind' = 'fallback-check'
                  AND j.payload->'messageIds' ? m.id::text
                  AND j.run_at = (m.route->>'sendAt')::timestamptz + make_interval(secs => (m.route->'fallbacks'->0->>'afterSeconds')::int)) AS timers
       FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = $1`,
      [c.body.id],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.send_at).toBeNull(); // critical ignores quiet hours
    expect(rows.some((r) => r.channel === 'sms')).toBe(true);
    // The first fallback check of each message is armed in a chunk due at sendAt + its afterSeconds.
    for (const r of rows) expect(r.timers).toBe(r.fallbacks > 0 ? 1 : 0);
    expect(rows.some((r) => r.fallbacks > 0)).toBe(true);
    const sms = rows.find((r) => r.channel === 'sms');
    expect(sms?.text).toMatch(/\/s\/[A-Za-z0-9_-]{8}/);
    expect(sms?.text).not.toContain('status.example.com');
  });

  it('routes like the routing engine, learned ranking included: a customer who answers on SMS gets SMS', async () => {
    const [c] = await q<{ id: string }>(
      `INSERT INTO customers (display_name, tags) VALUES ('Texter', '{texter}') RETURNING id`,
    );
    await q(
      `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, 'email', 'email', 'texter@example.com'), ($1, 'phone', 'sms', '+8613700137000')`,
      [c.id],
    );
    await q(
      `INSERT INTO consents (customer_id, channel, purpose, status, source) VALUES ($1, 'email', 'marketing', 'granted', 't'), ($1, 'sms', 'marketing', 'granted', 't')`,
      [c.id],
    );
    for (const days of [10, 20]) {
      await q(
        `INSERT INTO messages (customer_id, direction, kind, channel, status, text, purpose, created_at) VALUES
           ($1, 'outbound', 'message', 'sms', 'delivered', 'hi', 'service', now() - make_interval(days => $2)),
           ($1, 'inbound', 'message', 'sms', 'delivered', 'thanks', NULL, now() - make_interval(days => $2) + interval '1 hour')`,
        [c.id, days],
      );
    }
    const created = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: 'Learned',
        segment: { tags: ['texter'] },
        topic: 'promo',
        purpose: 'marketing',
        urgency: 'normal',
        template: 'welcome',
        data: { offer },
      },
      marketer,
    );
    await app.api('POST', `/api/v1/campaigns/${created.body.id}/launch`, undefined, marketer);
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${created.body.id}`)).body.status === 'completed',
      'the campaign',
    );
    const [m] = await q<{ channel: string; route: { reasons: string[] } }>(
      `SELECT m.channel, m.route FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = $1`,
      [created.body.id],
    );
    expect(m.channel).toBe('sms');
    expect(m.route.reasons[0]).toBe('sms chosen: learned from engagement');
  });

  it('holds a scheduled campaign until sendAt and streams its progress live (server-sent events) to the end', async () => {
    // Sends held by quiet hours would keep the campaign running past this test: none here.
    await q(
      `UPDATE customers SET preferences = preferences - 'quietHours' WHERE 'spring' = ANY(tags) AND (attributes->>'n')::int < 60`,
    );
    const sendAt = new Date(Date.now() + 1500).toISOString();
    const c = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: 'Later',
        segment: { tags: ['spring'], attributes: { n: { lt: 60 } } },
        topic: 'news',
        purpose: 'service',
        urgency: 'low',
        template: 'welcome',
        data: { offer },
        sendAt,
        batchSize: 15,
      },
      supervisor,
    );
    expect(c.status).toBe(201);
    const launched = await app.api(
      'POST',
      `/api/v1/campaigns/${c.body.id}/launch`,
      undefined,
      supervisor,
    );
    expect(launched.body.status).toBe('scheduled');
    const res = await fetch(`${app.url}/api/v1/campaigns/${c.body.id}/progress`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const body = await res.text(); // the stream ends when the campaign completes
    const events = body
      .split('\n\n')
      .filter((e) => e.startsWith('event: progress'))
      .map(
        (e) =>
          JSON.parse(e.split('data: ')[1]) as {
            status: string;
            recipients: number;
            batches: number;
          },
      );
    expect(events[0].status).toBe('scheduled');
    expect(events[events.length - 1]).toEqual(
      expect.objectContaining({ status: 'completed', recipients: 60, batches: 4 }),
    );
    expect(
      events.some((e) => e.status === 'running' && e.recipients > 0 && e.recipients < 60),
    ).toBe(true);
    const done = (await app.api('GET', `/api/v1/campaigns/${c.body.id}`, undefined, supervisor))
      .body;
    expect(new Date(done.completedAt).getTime()).toBeGreaterThanOrEqual(new Date(sendAt).getTime());
  });

  it('refuses bad input with a 4xx naming the field, and other roles', async () => {
    const base = {
      name: 'x',
      segment: {},
      topic: 'promo',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'welcome',
    };
    const cases: Array<[unknown, string]> = [
      [{ ...base, name: '' }, 'name'],
      [{ ...base, purpose: 'spam' }, 'purpose'],
      [{ ...base, urgency: 'now' }, 'urgency'],
      [{ ...base, segment: { tier: 'gold' } }, 'segment.tier'],
      [{ ...base, segment: { attributes: { plan: { like: 'x' } } } }, 'segment.attributes'],
      [{ ...base, segment: { lastContactBefore: 'yesterday' } }, 'segment.lastContactBefore'],
      [{ ...base, sendAt: 'soon' }, 'sendAt'],
      [{ ...base, ratePerSecond: 0 }, 'ratePerSecond'],
      [{ ...base, variants: [{ template: 'welcome', weight: 1 }] }, 'variants'],
      [{ ...base, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const r = await app.api('POST', '/api/v1/campaigns', body, marketer);
      expect([r.status, field]).toEqual([400, field]);
      expect(r.body.message).toContain(field);
    }
    const unknownTemplate = await app.api(
      'POST',
      '/api/v1/campaigns',
      { ...base, template: 'nope' },
      marketer,
    );
    expect(unknownTemplate.status).toBe(422);
    expect(unknownTemplate.body.message).toContain('template');
    expect(
      (
        await app.api(
          'POST',
          '/api/v1/campaigns/segments/preview',
          { segment: { tags: 'x' } },
          marketer,
        )
      ).body.message,
    ).toContain('segment.tags');
    expect((await app.api('GET', '/api/v1/campaigns/not-a-uuid', undefined, marketer)).status).toBe(
      400,
    );
    expect(
      (
        await app.api(
          'GET',
          '/api/v1/campaigns/00000000-0000-4000-8000-000000000000',
          undefined,
          marketer,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await app.api(
          'POST',
          '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/launch',
          undefined,
          marketer,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await app.api(
          'GET',
          '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/stats',
          undefined,
          marketer,
        )
      ).status,
    ).toBe(404);
    for (const action of ['launch', 'pause', 'resume', 'cancel']) {
      const r = await app.api('POST', `/api/v1/campaigns/bad-id/${action}`, undefined, marketer);
      expect([action, r.status]).toEqual([action, 400]);
      expect(r.body.message).toContain('id');
    }
    expect(
      (await app.api('GET', '/api/v1/campaigns/bad-id/progress', undefined, marketer)).status,
    ).toBe(400);
    expect(
      (await app.api('POST', '/api/v1/campaigns/segments/preview', 'not json', marketer)).status,
    ).toBe(400);
    const agent = (await app.userToken('agent')).token;
    expect((await app.api('POST', '/api/v1/campaigns', base, agent)).status).toBe(403);
    expect((await app.api('POST', '/api/v1/campaigns', base, null)).status).toBe(401);
  });
});
