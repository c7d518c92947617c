import { DataSource } from 'typeorm';
import { CampaignFanoutService } from '../../src/campaigns/campaign-fanout.service';
import { CampaignChunkRunner } from '../../src/campaigns/chunk-runner';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

// Batches in several parts on two transactions, and sends carried by chunk jobs: run inline on
// an unlimited channel (email), handed one by one to the limiter on a rate-limited one (SMS).
let app: TestApp;
let db: DataSource;
let fanout: CampaignFanoutService;

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

/** n tagged customers: the even ones reachable (and consenting) by email only, the odd ones by SMS only. */
async function seed(tag: string, digit: number, n: number): Promise<string[]> {
  const rows = await q<{ id: string }>(
    `INSERT INTO customers (display_name, tags, attributes)
     SELECT $1 || ' ' || g, ARRAY[$1], jsonb_build_object('i', g) FROM generate_series(0, $2 - 1) g RETURNING id`,
    [tag, n],
  );
  await q(
    `INSERT INTO customer_identities (customer_id, kind, channel, address)
     SELECT id, CASE WHEN (attributes->>'i')::int % 2 = 0 THEN 'email' ELSE 'phone' END,
                CASE WHEN (attributes->>'i')::int % 2 = 0 THEN 'email' ELSE 'sms' END,
                CASE WHEN (attributes->>'i')::int % 2 = 0 THEN $1 || '-' || (attributes->>'i') || '@example.com'
                     ELSE '+8613' || $2 || lpad((attributes->>'i'), 8, '0') END
     FROM customers WHERE tags @> ARRAY[$1]`,
    [tag, String(digit)],
  );
  await q(
    `INSERT INTO consents (customer_id, channel, purpose, status, source)
     SELECT id, CASE WHEN (attributes->>'i')::int % 2 = 0 THEN 'email' ELSE 'sms' END, 'marketing', 'granted', 'seed'
     FROM customers WHERE tags @> ARRAY[$1]`,
    [tag],
  );
  return rows.map((r) => r.id);
}

/** A campaign marked running without launching it: its batches run only when this test runs them. */
async function running(tag: string, batchSize: number): Promise<string> {
  const created = await app.api('POST', '/api/v1/campaigns', {
    name: `Chunks ${tag}`,
    segment: { tags: [tag] },
    topic: 'promo',
    purpose: 'marketing',
    urgency: 'normal',
    template: 'welcome',
    data: { offer: { percent: 10, code: 'C', until: '2030-01-01T00:00:00Z' } },
    batchSize,
  });
  expect(created.status).toBe(201);
  await q(`UPDATE campaigns SET status = 'running' WHERE id = $1`, [created.body.id]);
  return created.body.id as string;
}

/** Each given customer's recipient rows in the campaign and campaign messages. */
function perCustomer(
  campaignId: string,
  customerIds: string[],
): Promise<Array<{ recipients: number; messages: number }>> {
  return q(
    `SELECT (SELECT count(*)::int FROM campaign_recipients r WHERE r.campaign_id = $1 AND r.customer_id = c.id) AS recipients,
            (SELECT count(*)::int FROM messages m WHERE m.customer_id = c.id AND m.idempotency_key LIKE 'campaign:%') AS messages
     FROM customers c WHERE c.id = ANY($2::uuid[])`,
    [campaignId, customerIds],
  );
}

/** Runs batches here until none is left (the queue's workers may run the staged ones meanwhile). */
async function runToEnd(id: string): Promise<void> {
  for (;;) {
    const out = await fanout.runBatch(id, 0);
    if (!out.ran || out.done) break;
  }
  await eventually(
    async () =>
      (await q<{ status: string }>(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0]
        .status === 'completed',
    'the campaign to complete',
  );
}

beforeAll(async () => {
  app = await startTestApp({ SEND_RATE_SMS: '50/s' });
  db = app.hub.app.get(DataSource);
  fanout = app.hub.app.get(CampaignFanoutService);
});
afterAll(async () => {
  await app?.close();
});

describe('Campaign batches in parts and sends in chunks', () => {
  it('writes batches of several parts once per customer, and sends each message once, paced where a send rate is set', async () => {
    const ids = await seed('parts', 7, 230);
    const id = await running('parts', 120);
    await runToEnd(id);

    const counts = await perCustomer(id, ids);
    expect(counts).toHaveLength(230);
    expect(counts.filter((r) => r.recipients !== 1 || r.messages !== 1)).toEqual([]);
    const [campaign] = await q<{ recipients_count: number; sent_count: number; status: string }>(
      `SELECT recipients_count, sent_count, status FROM campaigns WHERE id = $1`,
      [id],
    );
    expect(campaign).toEqual({ recipients_count: 230, sent_count: 230, status: 'completed' });

    // Each message is in exactly one send chunk, on its channel's delivery queue.
    const chunked = await q<{ channel: string; queue: string; chunks: number }>(
      `SELECT m.channel, j.queue, count(*)::int AS chunks
       FROM messages m JOIN outbox_jobs j ON j.name = 'campaign-chunk' AND j.payload->>'kind' = 'send' AND j.payload->'messageIds' ? m.id::text
       WHERE m.idempotency_key LIKE $1 GROUP BY m.id, m.channel, j.queue`,
      [`campaign:${id}:%`],
    );
    expect(chunked).toHaveLength(230);
    for (const r of chunked) {
      expect(r.chunks).toBe(1);
      expect(r.queue).toBe(`delivery-${r.channel}`);
    }

    // Every message gets its own send job (the same dedupe key as any send) and one attempt.
    const attempts = await eventually(
      async () => {
        const rows = await q<{ channel: string; at: Date; job: string }>(
          `SELECT m.channel, a.created_at AS at, j.status AS job
           FROM messages m JOIN delivery_attempts a ON a.message_id = m.id
           JOIN outbox_jobs j ON j.dedupe_key = 'send:' || m.id
           WHERE m.idempotency_key LIKE $1`,
          [`campaign:${id}:%`],
        );
        return rows.length === 230 && rows.every((r) => r.job === 'done') ? rows : null;
      },
      'one attempt per campaign message',
      30_000,
    );
    // 115 SMS at SEND_RATE_SMS=50/s leave over two seconds; run inline they would take a fraction of one.
    const sms = attempts.filter((a) => a.channel === 'sms').map((a) => new Date(a.at).getTime());
    expect(sms).toHaveLength(115);
    // The third window opens 2 s after the first. An attempt is recorded once its job has
    // started, which on a loaded machine took up to 640 ms (CI: a spread of 1358 ms); unpaced,
    // the spread is about 780 ms here.
    expect(Math.max(...sms) - Math.min(...sms)).toBeGreaterThanOrEqual(1200);
    const outbox = await q<{ n: number; d: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT to_address)::int AS d FROM sandbox_outbox WHERE to_address LIKE 'parts-%' OR to_address LIKE '+86137%'`,
    );
    expect(outbox[0]).toEqual({ n: 230, d: 230 });

    // A chunk run again (a retry, the sweeper after a crash) stages and sends nothing again.
    const runner = app.hub.app.get(CampaignChunkRunner);
    const [chunk] = await q<{ queue: string; payload: Record<string, unknown> }>(
      `SELECT queue, payload FROM outbox_jobs WHERE name = 'campaign-chunk' AND queue = 'delivery-email' AND payload->'messageIds' ?| $1::text[] LIMIT 1`,
      [
        (
          await q<{ id: string }>(`SELECT id::text FROM messages WHERE idempotency_key LIKE $1`, [
            `campaign:${id}:%`,
          ])
        ).map((r) => r.id),
      ],
    );
    const sendJobs = () =>
      q<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_jobs WHERE dedupe_key LIKE 'send:%'`);
    const jobsBefore = await sendJobs();
    await runner.run(chunk.queue, chunk.payload);
    expect(await sendJobs()).toEqual(jobsBefore);
    expect(
      (
        await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM sandbox_outbox WHERE to_address LIKE 'parts-%'`,
        )
      )[0].n,
    ).toBe(115);
  });

  it('stages and runs the first fallback check of each message of a fallback chunk once', async () => {
    const ids = await q<{ id: string }>(
      `SELECT m.id FROM messages m JOIN campaign_recipients r ON r.message_id = m.id LIMIT 3`,
    );
    expect(ids).toHaveLength(3);
    const runner = app.hub.app.get(CampaignChunkRunner);
    const payload = { kind: 'fallback-check', messageIds: ids.map((r) => r.id) };
    await runner.run('timers', payload);
    await runner.run('timers', payload);
    const rows = await q<{ queue: string; name: string; status: string; payload: unknown }>(
      `SELECT queue, name, status, payload FROM outbox_jobs WHERE dedupe_key = ANY($1::text[]) ORDER BY dedupe_key`,
      [ids.map((r) => `fallback:${r.id}:0`)],
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r).toMatchObject({ queue: 'timers', name: 'fallback-check', status: 'done' });
      expect(ids.map((x) => x.id)).toContain((r.payload as { messageId: string }).messageId);
    }
  });

  it('rolls back every transaction of a batch when one of its parts fails, and runs it again in full', async () => {
    const ids = await seed('partfail', 6, 150);
    const id = await running('partfail', 150);
    const sorted = [...ids].sort();
    // The third part (written on a side transaction) meets a failing insert.
    await q(`CREATE TABLE fail_part (customer_id uuid PRIMARY KEY)`);
    await q(`INSERT INTO fail_part VALUES ($1)`, [sorted[120]]);
    await q(`CREATE FUNCTION fail_part() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF EXISTS (SELECT 1 FROM fail_part WHERE customer_id = NEW.customer_id) THEN RAISE EXCEPTION 'part refused'; END IF;
               RETURN NEW;
             END $$`);
    await q(
      `CREATE TRIGGER fail_part BEFORE INSERT ON campaign_recipients FOR EACH ROW EXECUTE FUNCTION fail_part()`,
    );
    await expect(fanout.runBatch(id, 0)).rejects.toThrow('part refused');
    expect(await q(`SELECT 1 FROM campaign_recipients WHERE campaign_id = $1`, [id])).toHaveLength(
      0,
    );
    expect(
      await q(`SELECT 1 FROM messages WHERE idempotency_key LIKE $1`, [`campaign:${id}:%`]),
    ).toHaveLength(0);

    await q(`DROP TRIGGER fail_part ON campaign_recipients`);
    await runToEnd(id);
    const counts = await perCustomer(id, ids);
    expect(counts.filter((r) => r.recipients !== 1)).toEqual([]);
    expect(
      (
        await q<{ recipients_count: number }>(
          `SELECT recipients_count FROM campaigns WHERE id = $1`,
          [id],
        )
      )[0].recipients_count,
    ).toBe(150);
  });

  it('runs a batch again, sending nothing twice and skipping nobody, when its commit fails after its side transactions committed', async () => {
    const ids = await seed('commit', 8, 150);
    const id = await running('commit', 150);
    // The batch's own transaction fails at COMMIT (a deferred check), after the side ones committed.
    await q(`CREATE TABLE fail_commit (campaign_id uuid PRIMARY KEY)`);
    await q(`INSERT INTO fail_commit VALUES ($1)`, [id]);
    await q(`CREATE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF EXISTS (SELECT 1 FROM fail_commit WHERE campaign_id = NEW.id) THEN RAISE EXCEPTION 'commit refused'; END IF;
               RETURN NEW;
             END $$`);
    await q(`CREATE CONSTRAINT TRIGGER fail_commit AFTER UPDATE ON campaigns DEFERRABLE INITIALLY DEFERRED
             FOR EACH ROW EXECUTE FUNCTION fail_commit()`);
    await expect(fanout.runBatch(id, 0)).rejects.toThrow('commit refused');
    // Every part was written on a side transaction, so its recipients stand; the cursor and the
    // counters, on the batch's own transaction, do not.
    const written = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1`,
      [id],
    );
    expect(written[0].n).toBe(150);
    expect(
      (await q<{ cursor: string | null }>(`SELECT cursor FROM campaigns WHERE id = $1`, [id]))[0]
        .cursor,
    ).toBeNull();

    await q(`DELETE FROM fail_commit`);
    await runToEnd(id);
    const counts = await perCustomer(id, ids);
    expect(counts).toHaveLength(150);
    expect(counts.filter((r) => r.recipients !== 1 || r.messages !== 1)).toEqual([]);
    const stats = (await app.api('GET', `/api/v1/campaigns/${id}/stats`)).body;
    expect(stats.recipients).toBe(150);
    await q(`DROP TRIGGER fail_commit ON campaigns`);
  });
});
