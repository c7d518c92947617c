import { DataSource } from 'typeorm';
import { CampaignFanoutService } from '../../src/campaigns/campaign-fanout.service';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * Campaign numbers to trust (issue 19): a reply answers the campaign's message on its channel
 * within the reply window and is no CSAT answer or STOP; sends held by quiet hours are
 * scheduled, not sent, and keep the campaign running until they go; an unknown outcome is not
 * sent.
 */
let app: TestApp;
let db: DataSource;
let marketer: string;
let campaignId: string;
const ids: Record<'ann' | 'bob' | 'cai' | 'dan' | 'eve' | 'fay', string> = {
  ann: '',
  bob: '',
  cai: '',
  dan: '',
  eve: '',
  fay: '',
};
const CAI = '+8613900002201';
const DAN = '+8613900002202';

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

async function customer(
  name: string,
  channel: 'email' | 'sms',
  address: string,
  quietAllDay = false,
): Promise<string> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: name,
    identities: [{ channel, address }],
    tags: ['numbers'],
  });
  expect(r.status).toBe(201);
  const id = r.body.id as string;
  expect(
    (
      await app.api('POST', `/api/v1/customers/${id}/consents`, {
        channel,
        purpose: 'marketing',
        status: 'granted',
        source: 'signup form',
      })
    ).status,
  ).toBe(201);
  const preferences = {
    matrix: [{ topic: 'sale', urgency: '*', channels: [channel] }],
    ...(quietAllDay ? { quietHours: { start: '00:00', end: '23:59' } } : {}),
  };
  expect((await app.api('PUT', `/api/v1/customers/${id}/preferences`, preferences)).status).toBe(
    200,
  );
  return id;
}

const stats = async (query = '') => {
  const r = await app.api(
    'GET',
    `/api/v1/campaigns/${campaignId}/stats${query}`,
    undefined,
    marketer,
  );
  expect(r.status).toBe(200);
  return r.body;
};
const statusOf = async () =>
  (await app.api('GET', `/api/v1/campaigns/${campaignId}`, undefined, marketer)).body
    .status as string;

async function messageOf(customerId: string) {
  const [m] = await q<{ id: string; status: string; send_at: Date | null }>(
    `SELECT m.id, m.status, m.send_at FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
     WHERE r.campaign_id = $1 AND r.customer_id = $2`,
    [campaignId, customerId],
  );
  return m;
}

async function inbound(channel: 'email' | 'sms', from: string, text: string) {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel, from, text });
  expect(r.status).toBeLessThan(300);
  return r.body;
}

/** Runs a staged outbox job now, as the queue would at its time. */
async function runNow(jobId: string) {
  await q(`UPDATE outbox_jobs SET run_at = now() WHERE id = $1`, [jobId]);
  return app.hub.app.get(JobQueueService).run(jobId);
}

beforeAll(async () => {
  app = await startTestApp({ MARKETING_CAP_PER_DAY: '10', MARKETING_CAP_PER_WEEK: '10' });
  db = app.hub.app.get(DataSource);
  marketer = (await app.userToken('marketer')).token;
  for (const [channel, body] of [
    ['email', '<p>Hi {{customer.name}}, our sale starts now.</p>'],
    ['sms', 'Sale starts now. Reply STOP to opt out'],
  ] as const) {
    const t = await app.api(
      'POST',
      '/api/v1/templates',
      { key: 'numbers-sale', channel, locale: 'en', subject: 'Sale', body },
      marketer,
    );
    expect(t.status).toBe(201);
  }
  ids.ann = await customer('Ann', 'email', 'ann.numbers@example.com');
  ids.bob = await customer('Bob', 'email', 'bob.numbers@example.com');
  ids.cai = await customer('Cai', 'sms', CAI);
  ids.dan = await customer('Dan', 'sms', DAN);
  ids.eve = await customer('Eve', 'email', 'eve.numbers@example.com', true);
  ids.fay = await customer('Fay', 'email', 'fay.numbers@example.com');

  // Cai asked support something before the campaign; resolving it asked for a rating.
  const { conversation } = await inbound('sms', CAI, 'Where is my parcel?');
  expect(
    (
      await app.api('POST', `/api/v1/conversations/${conversation.id}/status`, {
        status: 'resolved',
      })
    ).status,
  ).toBe(200);
  await eventually(
    async () =>
      (
        await q(`SELECT 1 FROM conversations WHERE id = $1 AND csat_requested_at IS NOT NULL`, [
          conversation.id,
        ])
      ).length > 0,
    'the CSAT request',
  );

  const c = await app.api(
    'POST',
    '/api/v1/campaigns',
    {
      name: 'Numbers sale',
      segment: { tags: ['numbers'] },
      topic: 'sale',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'numbers-sale',
      variants: [
        { template: 'numbers-sale', weight: 1 },
        { template: 'numbers-sale', weight: 1 },
      ],
    },
    marketer,
  );
  expect(c.status).toBe(201);
  campaignId = c.body.id as string;
  expect(
    (await app.api('POST', `/api/v1/campaigns/${campaignId}/launch`, undefined, marketer)).status,
  ).toBe(202);
  await eventually(
    async () =>
      (await app.api('GET', `/api/v1/campaigns/${campaignId}`, undefined, marketer)).body.progress
        .recipients === 6,
    'the fan-out',
  );
  // Everyone but the held one delivered by the sandbox.
  await eventually(async () => (await stats()).delivered === 5, 'the deliveries', 30_000);
});
afterAll(async () => {
  await app?.close();
});

describe('Replies', () => {
  it('counts an answer within the window, not one after it, a CSAT answer or STOP', async () => {
    // Bob's message went 80 hours ago: his answer now is outside the 72-hour window.
    await q(`UPDATE messages SET created_at = now() - interval '80 hours' WHERE id = $1`, [
      (await messageOf(ids.bob)).id,
    ]);
    await inbound('email', 'bob.numbers@example.com', 'Is the sale still on?');
    await inbound('sms', CAI, '5');
    await inbound('sms', DAN, 'STOP');
    await inbound('email', 'ann.numbers@example.com', 'Do you ship to Shanghai?');
    // Cai's "5" is the rating the resolved conversation asked for.
    await eventually(
      async () =>
        (
          await q(
            `SELECT 1 FROM csat_responses WHERE customer_id = $1 AND message_id IS NOT NULL`,
            [ids.cai],
          )
        ).length > 0,
      "Cai's rating",
    );
    const s = await stats();
    expect(s.replyWindowHours).toBe(72);
    expect(s.replied).toBe(1);
    expect(s.byChannel.email.replied).toBe(1);
    expect(s.byChannel.sms.replied).toBe(0);
    expect(s.unsubscribed).toBe(1);
    expect(s.byChannel.sms.unsubscribed).toBe(1);
  });
});

describe('Held sends and unknown outcomes', () => {
  it('shows the quiet-hours send as scheduled with its time, not sent, and keeps the campaign running', async () => {
    const held = await messageOf(ids.eve);
    expect(held.status).toBe('queued');
    expect(held.send_at).not.toBeNull();
    const due = new Date(held.send_at!).toISOString();
    const s = await stats();
    expect(s.status).toBe('running');
    expect(await statusOf()).toBe('running');
    expect(s).toEqual(
      expect.objectContaining({
        targeted: 6,
        sent: 5,
        scheduled: 1,
        scheduledFirstAt: due,
        scheduledLastAt: due,
      }),
    );
    expect(s.byChannel.email).toEqual(
      expect.objectContaining({ scheduled: 1, scheduledFirstAt: due, scheduledLastAt: due }),
    );
    expect(s.byChannel.sms).toEqual(
      expect.objectContaining({ scheduled: 0, scheduledFirstAt: null }),
    );
    expect(s.sent + s.scheduled + s.unknown + s.cancelled + s.suppressed.total).toBe(s.recipients);
  });

  it('does not count an unknown outcome as sent or delivered', async () => {
    const fay = await messageOf(ids.fay);
    expect(fay.status).toBe('delivered');
    await q(`UPDATE messages SET status = 'unknown' WHERE id = $1`, [fay.id]);
    const s = await stats();
    expect(s).toEqual(
      expect.objectContaining({ sent: 4, delivered: 4, unknown: 1, scheduled: 1, targeted: 6 }),
    );
    expect(s.byChannel.email).toEqual(expect.objectContaining({ sent: 2, unknown: 1 }));
    expect(s.rates.delivery).toBe(1);
  });

  it('completes the campaign only once the held send has gone', async () => {
    const fanout = app.hub.app.get(CampaignFanoutService);
    const finishJobs = () =>
      q<{ id: string; run_at: Date }>(
        `SELECT id, run_at FROM outbox_jobs WHERE name = 'finish' AND payload ->> 'campaignId' = $1 AND status = 'pending' ORDER BY run_at`,
        [campaignId],
      );
    const [first] = await finishJobs();
    const held = await messageOf(ids.eve);
    expect(new Date(first.run_at).getTime()).toBeGreaterThan(new Date(held.send_at!).getTime());
    // Quiet hours end; a finish check before the held send's chunk job ran finds it still
    // there: the campaign stays running and a check follows.
    await q(`UPDATE messages SET send_at = now() - interval '1 second' WHERE id = $1`, [held.id]);
    expect(await runNow(first.id)).toBe('done');
    expect(await statusOf()).toBe('running');
    expect((await stats()).scheduled).toBe(1);
    const [second] = await finishJobs();
    expect(second.id).not.toBe(first.id);

    // The held send's chunk job runs and the sandbox delivers it.
    const [chunk] = await q<{ id: string }>(
      `SELECT id FROM outbox_jobs WHERE name = 'campaign-chunk' AND payload -> 'messageIds' ? $1 AND payload ->> 'kind' = 'send'`,
      [held.id],
    );
    expect(chunk).toBeDefined();
    await runNow(chunk.id);
    await eventually(
      async () => (await messageOf(ids.eve)).status !== 'queued',
      'the held send to go',
    );
    expect(await runNow(second.id)).toBe('done');
    expect(await statusOf()).toBe('completed');
    const s = await stats();
    expect(s).toEqual(expect.objectContaining({ status: 'completed', scheduled: 0, sent: 5 }));
    expect(s.scheduledFirstAt).toBeNull();
    expect(await fanout.finish(campaignId)).toBe(false);
  });
});

const QUIET_ALL_DAY = { start: '00:00', end: '23:59' };

/** A customer with e-mail and SMS, marketing consent on both, tagged `tag`. */
async function onEmailAndSms(name: string, tag: string, phone: string): Promise<string> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: name,
    identities: [
      { channel: 'email', address: `${name.toLowerCase()}.numbers@example.com` },
      { channel: 'sms', address: phone },
    ],
    tags: [tag],
  });
  expect(r.status).toBe(201);
  const id = r.body.id as string;
  for (const channel of ['email', 'sms'])
    await app.api('POST', `/api/v1/customers/${id}/consents`, {
      channel,
      purpose: 'marketing',
      status: 'granted',
      source: 'signup form',
    });
  return id;
}

/** Sale on e-mail then SMS, with these quiet hours (null: none). */
const quietHoursOf = (id: string, quietHours: typeof QUIET_ALL_DAY | null) =>
  app.api('PUT', `/api/v1/customers/${id}/preferences`, {
    matrix: [{ topic: 'sale', urgency: '*', channels: ['email', 'sms'] }],
    quietHours,
  });

/** A normal-urgency marketing sale campaign (a draft) to the customers tagged `tag`. */
async function saleTo(name: string, tag: string): Promise<string> {
  const c = await app.api(
    'POST',
    '/api/v1/campaigns',
    {
      name,
      segment: { tags: [tag] },
      topic: 'sale',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'numbers-sale',
    },
    marketer,
  );
  expect(c.status).toBe(201);
  return c.body.id as string;
}

describe('Cancelling', () => {
  it('cancels a held send: counted cancelled, never sent, and no fallback goes in its place', async () => {
    const gus = await onEmailAndSms('Gus', 'numbers-cancel', '+8613900002207');
    expect((await quietHoursOf(gus, QUIET_ALL_DAY)).status).toBe(200);
    const id = await saleTo('Cancelled sale', 'numbers-cancel');
    await app.api('POST', `/api/v1/campaigns/${id}/launch`, undefined, marketer);
    const [held] = await eventually(async () => {
      const rows = await q<{ id: string; status: string; fallbacks: number }>(
        `SELECT m.id, m.status, jsonb_array_length(m.route -> 'fallbacks') AS fallbacks
         FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = $1`,
        [id],
      );
      return rows.length > 0 ? rows : null;
    }, 'the held send');
    expect(held.status).toBe('queued');
    expect(held.fallbacks).toBeGreaterThan(0);
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${id}`, undefined, marketer)).body.status ===
        'running',
      'the fan-out',
    );

    const cancelled = await app.api('POST', `/api/v1/campaigns/${id}/cancel`, undefined, marketer);
    expect(cancelled.status).toBe(200);
    const s = (await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer)).body;
    expect(s).toEqual(
      expect.objectContaining({ status: 'cancelled', cancelled: 1, scheduled: 0, sent: 0 }),
    );

    // Its send time and then its fallback time come: nothing goes.
    const jobs = await q<{ id: string }>(
      `SELECT id FROM outbox_jobs WHERE name = 'campaign-chunk' AND payload -> 'messageIds' ? $1 ORDER BY run_at`,
      [held.id],
    );
    expect(jobs.length).toBe(2);
    for (const j of jobs) await runNow(j.id);
    await eventually(
      async () =>
        (
          await q(
            `SELECT 1 FROM outbox_jobs WHERE name = 'fallback-check' AND payload ->> 'messageId' = $1 AND status = 'done'`,
            [held.id],
          )
        ).length > 0,
      'the fallback check',
    );
    const sent = await q(
      `SELECT 1 FROM messages WHERE customer_id = $1 AND direction = 'outbound' AND status <> 'suppressed'`,
      [gus],
    );
    expect(sent).toHaveLength(0);
  });
});

describe('Pausing', () => {
  it('holds a send whose time comes during the pause and releases it on resume as quiet hours allow', async () => {
    const hal = await onEmailAndSms('Hal', 'numbers-pause', '+8613900002208');
    const prefs = (quietHours: typeof QUIET_ALL_DAY | null) => quietHoursOf(hal, quietHours);
    expect((await prefs(QUIET_ALL_DAY)).status).toBe(200);
    const id = await saleTo('Paused sale', 'numbers-pause');
    const act = async (action: 'launch' | 'pause' | 'resume') => {
      const res = await app.api('POST', `/api/v1/campaigns/${id}/${action}`, undefined, marketer);
      expect([action, res.status]).toEqual([action, action === 'pause' ? 200 : 202]);
    };
    const held = async () =>
      (
        await q<{
          id: string;
          status: string;
          send_at: Date;
          metadata: { heldByPause?: boolean };
          route: { sendAt: string; reasons: string[] };
        }>(
          `SELECT m.id, m.status, m.send_at, m.metadata, m.route
             FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = $1`,
          [id],
        )
      )[0];
    const counts = async () => {
      const s = (await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer)).body;
      return { status: s.status, scheduled: s.scheduled, sent: s.sent };
    };
    await act('launch');
    const first = await eventually(held, 'the held send');
    const quietEnd = first.send_at.getTime();
    await eventually(async () => (await counts()).status === 'running', 'the fan-out to finish');
    await act('pause');

    // Its send time and its fallback time come during the pause: nothing goes, it stays scheduled.
    const chunks = await q<{ id: string }>(
      `SELECT id FROM outbox_jobs WHERE name = 'campaign-chunk' AND payload -> 'messageIds' ? $1 ORDER BY run_at`,
      [first.id],
    );
    expect(chunks.length).toBe(2);
    for (const j of chunks) await runNow(j.id);
    const paused = await held();
    expect([paused.status, paused.metadata.heldByPause]).toEqual(['queued', true]);
    const outbound = () =>
      q<{ id: string; status: string }>(
        `SELECT id, status FROM messages WHERE customer_id = $1 AND direction = 'outbound'`,
        [hal],
      );
    expect(await outbound()).toEqual([{ id: first.id, status: 'queued' }]);
    expect(await counts()).toEqual({ status: 'paused', scheduled: 1, sent: 0 });

    // Resumed inside the quiet hours: the send waits for their end again, with a new job and
    // a new first fallback check.
    await act('resume');
    const waiting = await held();
    expect(waiting.status).toBe('queued');
    expect(waiting.metadata.heldByPause).toBeUndefined();
    expect(waiting.send_at.getTime()).toBeGreaterThan(Date.now());
    expect(Math.abs(waiting.send_at.getTime() - quietEnd)).toBeLessThan(24 * 3_600_000);
    expect(waiting.route.sendAt).toBe(waiting.send_at.toISOString());
    expect(waiting.route.reasons.at(-1)).toMatch(
      /^resumed; delayed to .*: quiet hours 00:00-23:59/,
    );
    const jobs = await q<{ dedupe_key: string; run_at: Date }>(
      `SELECT dedupe_key, run_at FROM outbox_jobs WHERE status = 'pending' AND dedupe_key LIKE $1 || '%:resume:%' ORDER BY run_at`,
      [`%:${first.id}`],
    );
    expect(jobs.map((j) => j.dedupe_key.replace(first.id, 'M').replace(/\d+$/, 'G'))).toEqual([
      'send:M:resume:G',
      'fallback:M:0:resume:G',
    ]);
    expect(jobs[0].run_at.getTime()).toBe(waiting.send_at.getTime());

    // Paused again when that time comes: held again. Resumed outside quiet hours: it goes now.
    await act('pause');
    const [again] = await q<{ id: string }>(`SELECT id FROM outbox_jobs WHERE dedupe_key = $1`, [
      jobs[0].dedupe_key,
    ]);
    expect(await runNow(again.id)).toBe('done');
    expect((await held()).metadata.heldByPause).toBe(true);
    expect((await prefs(null)).status).toBe(200);
    await act('resume');
    const gone = await eventually(async () => {
      const m = await held();
      return m.status === 'queued' ? null : m;
    }, 'the released send to go');
    expect(['sent', 'delivered']).toContain(gone.status);
    expect(gone.route.reasons.at(-1)).toBe('resumed');
    expect(await outbound()).toHaveLength(1);
    expect(await counts()).toMatchObject({ scheduled: 0, sent: 1 });
  });
});

describe('Stats route', () => {
  it('lists every variant the campaign defines, also those no one was given yet', async () => {
    const c = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: 'Three-way split, not launched',
        segment: { tags: ['numbers'] },
        topic: 'sale',
        purpose: 'marketing',
        urgency: 'normal',
        template: 'numbers-sale',
        variants: [1, 2, 3].map((weight) => ({ template: 'numbers-sale', weight })),
      },
      marketer,
    );
    expect(c.status).toBe(201);
    const s = (await app.api('GET', `/api/v1/campaigns/${c.body.id}/stats`, undefined, marketer))
      .body;
    expect(s.ab.variants).toEqual(
      ['A', 'B', 'C'].map((variant) => ({ variant, sent: 0, successes: 0, rate: 0 })),
    );
    expect(s.ab.comparison).toBeNull();
    expect(s.ab.winner).toBeNull();
  });

  it('answers the A/B result on the chosen metric and refuses an unknown one', async () => {
    const s = await stats('?metric=reply');
    expect(s.ab.metric).toBe('reply');
    const sent = s.ab.variants.reduce((n: number, v: { sent: number }) => n + v.sent, 0);
    expect(sent).toBe(s.sent);
    if (s.ab.comparison) expect(s.ab.winner).toBeNull();
    const bad = await app.api(
      'GET',
      `/api/v1/campaigns/${campaignId}/stats?metric=likes`,
      undefined,
      marketer,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('metric');
  });

  it('lists campaigns in their documented shape', async () => {
    const list = await app.api('GET', '/api/v1/campaigns', undefined, marketer);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(campaignId);
  });

  it('describes the stats and campaign responses in the OpenAPI document', async () => {
    const doc = (await app.api('GET', '/docs/openapi.json')).body;
    const get = doc.paths['/api/v1/campaigns/{id}/stats'].get;
    const schema = get.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['scheduled', 'scheduledFirstAt', 'unknown', 'replied', 'roi', 'ab']),
    );
    expect(
      doc.paths['/api/v1/campaigns/{id}/cancel'].post.responses['200'].content['application/json']
        .schema.properties.status,
    ).toBeDefined();
  });
});
