/**
 * The customers of bench:campaign and of the PostgreSQL phase of bench:routing: varied identities,
 * marketing consents (5% revoked), preference matrices, quiet hours (20%), timezones, several
 * segments, and 10 to 20 messages of history each over the last 90 days (20% at a frequency cap).
 */
import type { Client } from 'pg';
import { ensureMonthPartitions } from './month-partitions';

/** Seconds taken by each step, and the messages of the history. */
export interface SeedTimes {
  customers: number;
  history: number;
  indexes: number;
  messages: number;
}

const SEED_CHUNK = 100_000;

/**
 * Customers 1..n, each with everything a routing decision reads (see the comments below), written
 * server-side with INSERT ... SELECT generate_series on a migrated database; `tick` is called
 * between statements (bench:campaign samples its memory there).
 */
export async function seedCustomers(
  pg: Client,
  n: number,
  tick: () => void = () => undefined,
): Promise<SeedTimes> {
  const seedTimes: SeedTimes = { customers: 0, history: 0, indexes: 0, messages: 0 };
  // Seed only: no WAL flush per statement, room to sort the history and rebuild its indexes.
  await pg.query(`SET synchronous_commit = off`);
  await pg.query(`SET work_mem = '256MB'`);
  await pg.query(`SET maintenance_work_mem = '512MB'`);
  let t = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - t) / 1e9;
  const zones = `ARRAY['UTC','Asia/Shanghai','America/New_York','Europe/Berlin','Asia/Tokyo','Australia/Sydney','America/Sao_Paulo']`;
  // Several segments: every customer is tagged 'bench' (the campaign's segment, with a plan
  // attribute it filters on), and customers also belong to overlapping segments of their own.
  for (let from = 1; from <= n; from += SEED_CHUNK) {
    const to = Math.min(n, from + SEED_CHUNK - 1);
    await pg.query(
      `INSERT INTO customers (display_name, locale, timezone, tags, attributes, preferences)
       SELECT 'Customer ' || g, CASE WHEN g % 5 = 0 THEN 'zh-CN' ELSE 'en' END, (${zones})[1 + g % 7],
              ARRAY['bench'] || CASE WHEN g % 10 = 0 THEN ARRAY['vip'] ELSE '{}'::text[] END
                || CASE WHEN g % 10 < 6 THEN ARRAY['newsletter'] ELSE '{}'::text[] END
                || CASE WHEN g % 7 = 0 THEN ARRAY['lapsed'] ELSE '{}'::text[] END
                || CASE WHEN g % 5 = 0 THEN ARRAY['cn'] ELSE ARRAY['intl'] END,
              jsonb_build_object('i', g, 'plan', CASE WHEN g % 3 = 0 THEN 'pro' WHEN g % 3 = 1 THEN 'free' ELSE 'team' END,
                                 'orders', g % 40),
              jsonb_build_object(
                'matrix', CASE WHEN g % 4 = 0 THEN jsonb_build_array(jsonb_build_object('topic', 'promo', 'urgency', '*', 'channels', jsonb_build_array('sms', 'email')))
                               WHEN g % 4 = 1 THEN jsonb_build_array(jsonb_build_object('topic', '*', 'urgency', '*', 'channels', jsonb_build_array('wechat', 'email')))
                               ELSE '[]'::jsonb END,
                'quietHours', CASE WHEN g % 5 = 2 THEN jsonb_build_object('start', '22:00', 'end', '08:00') ELSE 'null'::jsonb END)
       FROM generate_series($1::int, $2::int) g`,
      [from, to],
    );
    tick();
  }
  // Identities and consents by the customer's index: email for 90%, phone for 50%, WeChat for 25%;
  // marketing consent granted on email for 70%, on SMS for 30%, on WeChat for 12.5%; then revoked
  // on email for 5% (a later row of the ledger, so the revocation is what counts).
  await pg.query(`
    INSERT INTO customer_identities (customer_id, kind, channel, address)
    SELECT id, 'email', 'email', 'c' || (attributes->>'i') || '@bench.example.com' FROM customers WHERE (attributes->>'i')::int % 10 <> 9
    UNION ALL SELECT id, 'phone', 'sms', '+8613' || lpad((attributes->>'i'), 9, '0') FROM customers WHERE (attributes->>'i')::int % 2 = 0
    UNION ALL SELECT id, 'wechat', 'wechat', 'wx_' || (attributes->>'i') FROM customers WHERE (attributes->>'i')::int % 4 = 1`);
  tick();
  await pg.query(`
    INSERT INTO consents (customer_id, channel, purpose, status, source)
    SELECT id, 'email', 'marketing', 'granted', 'bench' FROM customers WHERE (attributes->>'i')::int % 10 < 7
    UNION ALL SELECT id, 'sms', 'marketing', 'granted', 'bench' FROM customers WHERE (attributes->>'i')::int % 10 IN (0, 2, 4)
    UNION ALL SELECT id, 'wechat', 'marketing', 'granted', 'bench' FROM customers WHERE (attributes->>'i')::int % 8 = 1`);
  await pg.query(`
    INSERT INTO consents (customer_id, channel, purpose, status, source)
    SELECT id, 'email', 'marketing', 'revoked', 'bench' FROM customers WHERE (attributes->>'i')::int % 20 = 3`);
  seedTimes.customers = since();

  // History: 10 to 20 messages per customer over the last 90 days, a third inbound, the rest
  // outbound transactional and marketing sends (read, delivered or failed), which the routing
  // read turns into the frequency cap's counts and the learned ranking. 10% of the customers got
  // a marketing send 2 hours ago (at the daily cap of 1), another 10% three in the last 3 days
  // (at the weekly cap of 3). Written in time order per part (so a customer's messages lie apart,
  // as they do when they arrive over months), with the secondary indexes of messages dropped for
  // the load and rebuilt from their own definitions afterwards, as a restore does.
  t = process.hrtime.bigint();
  const dropped = (
    await pg.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename = 'messages'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
    )
  ).rows as Array<{ indexname: string; indexdef: string }>;
  for (const ix of dropped) await pg.query(`DROP INDEX ${ix.indexname}`);
  // Back-dated up to 88 days: their months' partitions first.
  await ensureMonthPartitions(pg, 'messages', new Date(Date.now() - 90 * 86_400_000));
  let messages = 0;
  for (let from = 1; from <= n; from += SEED_CHUNK) {
    const to = Math.min(n, from + SEED_CHUNK - 1);
    const r = await pg.query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, purpose, topic, created_at, updated_at)
       SELECT id, dir, 'message', ch, st, '', pu, CASE WHEN pu = 'marketing' THEN 'promo' WHEN pu = 'transactional' THEN 'orders' END, at,
              at + CASE WHEN st = 'read' THEN interval '40 minutes' ELSE interval '1 minute' END
       FROM (
         SELECT id, at,
                CASE WHEN mk THEN 'outbound' WHEN j % 3 = 0 THEN 'inbound' ELSE 'outbound' END AS dir,
                CASE WHEN mk THEN 'marketing' WHEN j % 3 = 0 THEN NULL ELSE 'transactional' END AS pu,
                (ARRAY['email','sms','wechat','email','sms'])[1 + (g + j) % 5] AS ch,
                CASE WHEN j % 3 = 0 AND NOT mk THEN 'delivered' ELSE (ARRAY['read','read','read','delivered','delivered','delivered','delivered','delivered','delivered','failed'])[1 + h % 10] END AS st
         FROM (
           SELECT c.id, g, j, k, abs(hashint4(g * 31 + j)) AS h,
                  (g % 10 = 7 AND j = k) OR (g % 10 = 8 AND j > k - 3)
                    OR (j % 3 = 2 AND (k - j) * 88.0 / (k - 1) > 7) AS mk,
                  CASE WHEN g % 10 = 7 AND j = k THEN now() - interval '2 hours'
                       WHEN g % 10 = 8 AND j > k - 3 THEN now() - (k - j + 1) * interval '1 day' + interval '1 hour'
                       ELSE now() - interval '2 hours' - (k - j) * interval '88 days' / (k - 1) - (abs(hashint4(g * 7 + j)) % 3600) * interval '1 second' END AS at
           FROM (SELECT id, (attributes->>'i')::int AS g FROM customers WHERE (attributes->>'i')::int BETWEEN $1 AND $2) c
           CROSS JOIN LATERAL (SELECT 10 + abs(hashint4(c.g)) % 11 AS k) n
           CROSS JOIN LATERAL generate_series(1, n.k) j) x) y
       ORDER BY at`,
      [from, to],
    );
    messages += r.rowCount ?? 0;
    tick();
  }
  seedTimes.history = since();
  seedTimes.messages = messages;
  t = process.hrtime.bigint();
  // A partitioned table's index reads `ON ONLY` (the parent alone); rebuilt for every partition.
  for (const ix of dropped) await pg.query(ix.indexdef.replace(' ON ONLY ', ' ON '));
  await pg.query(`VACUUM ANALYZE`);
  // Flush the load now rather than in a checkpoint during the measurement.
  await pg.query(`CHECKPOINT`);
  seedTimes.indexes = since();
  return seedTimes;
}
