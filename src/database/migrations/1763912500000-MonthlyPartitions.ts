import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * messages, delivery_attempts and tracking_events become tables partitioned by month of
 * created_at (PostgreSQL's declarative partitioning), and finished jobs move out of the live queue
 * into finished_jobs, partitioned by month of finishing: retention drops whole months
 * (src/partitions). Each table gets a DEFAULT partition for rows outside the monthly ones
 * (back-dated imports); the maintenance job creates the months ahead.
 *
 * A partitioned table has no unique index without its partition key, so:
 * - messages' idempotency key and (channel, provider message id) stay unique through
 *   message_keys, a small plain table filled by a BEFORE INSERT trigger: a message whose key
 *   exists is skipped (what `ON CONFLICT DO NOTHING` did, waiting on a concurrent insert alike);
 *   an UPDATE to a key that exists fails with a unique violation (what the index did).
 * - the foreign keys to messages(id) become an AFTER DELETE statement trigger doing their
 *   cascades and set-nulls; delivery_attempts' unique (channel, provider message id) becomes a
 *   plain index (nothing used it as an arbiter).
 *
 * down() rebuilds the plain tables (copying every row back).
 */
const MONTHS_AHEAD = 3;

interface TableSpec {
  name: string;
  /** Column definitions, in the order of the table's columns. */
  columns: string;
  /** The columns a copy writes (all but generated ones). */
  copy: string;
  /** The partition key column. */
  key: string;
  identity?: string;
  partitioned: string[];
  plain: string[];
}

const MESSAGE_CHECKS = [
  `ALTER TABLE messages ADD CONSTRAINT messages_direction_check CHECK (direction IN ('inbound','outbound'))`,
  `ALTER TABLE messages ADD CONSTRAINT messages_kind_check CHECK (kind IN ('message','note','call','event'))`,
  `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('queued','sent','delivered','read','failed','undelivered','suppressed','unknown','digested'))`,
  `ALTER TABLE messages ADD CONSTRAINT messages_author_id_fkey FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE SET NULL`,
  `ALTER TABLE messages ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES conversations(id) ON DELETE SET NULL`,
  `ALTER TABLE messages ADD CONSTRAINT messages_digest_id_fkey FOREIGN KEY (digest_id) REFERENCES digests(id) ON DELETE SET NULL`,
  `CREATE INDEX messages_conversation_timeline ON messages (conversation_id, seq DESC) WHERE conversation_id IS NOT NULL`,
  `CREATE INDEX messages_customer_timeline ON messages (customer_id, seq DESC)`,
  `CREATE INDEX messages_digest_items ON messages (digest_id) WHERE digest_id IS NOT NULL`,
  `CREATE INDEX messages_fallback_of ON messages ((metadata->>'fallbackOf')) WHERE metadata->>'fallbackOf' IS NOT NULL`,
  `CREATE INDEX messages_routed_sends ON messages (created_at DESC) WHERE direction = 'outbound' AND topic IS NOT NULL`,
  `CREATE INDEX messages_search_trgm ON messages USING gin (search_text gin_trgm_ops) WHERE conversation_id IS NOT NULL AND kind <> 'event'`,
  `CREATE INDEX messages_sla_breaches ON messages (customer_id, created_at DESC) WHERE kind = 'event' AND metadata->>'event' = 'sla.breached'`,
];

const MESSAGES: TableSpec = {
  name: 'messages',
  columns: `id uuid NOT NULL DEFAULT gen_random_uuid(), seq bigint GENERATED ALWAYS AS IDENTITY,
    customer_id uuid NOT NULL, conversation_id uuid, direction text NOT NULL, kind text NOT NULL,
    channel text, status text NOT NULL, text text NOT NULL DEFAULT '', html text, subject text,
    attachments jsonb NOT NULL DEFAULT '[]', address text, provider_message_id text, author_id uuid,
    idempotency_key text, topic text, urgency text, purpose text, template text, template_data jsonb,
    route jsonb, metadata jsonb NOT NULL DEFAULT '{}', auto_reply boolean NOT NULL DEFAULT false,
    send_at timestamptz, created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search_text text GENERATED ALWAYS AS (CASE WHEN conversation_id IS NOT NULL AND kind <> 'event' THEN lower(text) END) STORED,
    digest_id uuid`,
  copy: `id, seq, customer_id, conversation_id, direction, kind, channel, status, text, html, subject,
    attachments, address, provider_message_id, author_id, idempotency_key, topic, urgency, purpose,
    template, template_data, route, metadata, auto_reply, send_at, created_at, updated_at, digest_id`,
  key: 'created_at',
  identity: 'seq',
  partitioned: [
    `ALTER TABLE messages ADD CONSTRAINT messages_pkey PRIMARY KEY (id, created_at)`,
    ...MESSAGE_CHECKS,
    `CREATE INDEX messages_seq ON messages (seq)`,
    `CREATE INDEX messages_idempotency_key ON messages (idempotency_key) WHERE idempotency_key IS NOT NULL`,
    `CREATE INDEX messages_channel_provider_id ON messages (channel, provider_message_id) WHERE provider_message_id IS NOT NULL`,
  ],
  plain: [
    `ALTER TABLE messages ADD CONSTRAINT messages_pkey PRIMARY KEY (id)`,
    ...MESSAGE_CHECKS,
    `ALTER TABLE messages ADD CONSTRAINT messages_seq UNIQUE (seq)`,
    `ALTER TABLE messages ADD CONSTRAINT messages_idempotency_key UNIQUE (idempotency_key)`,
    `CREATE UNIQUE INDEX messages_channel_provider_id ON messages (channel, provider_message_id) WHERE provider_message_id IS NOT NULL`,
  ],
};

const ATTEMPT_COMMON = [
  `ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_status_check CHECK (status IN ('queued','sent','delivered','read','failed','undelivered','suppressed','unknown','sending'))`,
  `CREATE INDEX delivery_attempts_message ON delivery_attempts (message_id, attempt_no)`,
  `CREATE TRIGGER delivery_attempts_receipts BEFORE INSERT OR UPDATE OF status ON delivery_attempts
     FOR EACH ROW WHEN (NEW.status IN ('sent','delivered','read','failed','undelivered'))
     EXECUTE FUNCTION delivery_attempts_receipts()`,
];

const DELIVERY_ATTEMPTS: TableSpec = {
  name: 'delivery_attempts',
  columns: `id uuid NOT NULL DEFAULT gen_random_uuid(), message_id uuid NOT NULL,
    attempt_no integer NOT NULL, channel text NOT NULL, address text, status text NOT NULL,
    error_class text, error_code text, error text, provider_message_id text, details jsonb,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz, delivered_at timestamptz, read_at timestamptz, failed_at timestamptz`,
  copy: `id, message_id, attempt_no, channel, address, status, error_class, error_code, error,
    provider_message_id, details, created_at, updated_at, sent_at, delivered_at, read_at, failed_at`,
  key: 'created_at',
  partitioned: [
    `ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_pkey PRIMARY KEY (id, created_at)`,
    ...ATTEMPT_COMMON,
    `CREATE INDEX delivery_attempts_provider_id ON delivery_attempts (channel, provider_message_id)`,
  ],
  plain: [
    `ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_pkey PRIMARY KEY (id)`,
    ...ATTEMPT_COMMON,
    `ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_provider_id UNIQUE (channel, provider_message_id)`,
  ],
};

const EVENT_COMMON = [
  `ALTER TABLE tracking_events ADD CONSTRAINT tracking_events_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE`,
  `ALTER TABLE tracking_events ADD CONSTRAINT tracking_events_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE`,
  `ALTER TABLE tracking_events ADD CONSTRAINT tracking_events_kind_check CHECK (kind IN ('open','click','unsubscribe'))`,
  `CREATE INDEX tracking_events_campaign ON tracking_events (campaign_id, kind)`,
  `CREATE INDEX tracking_events_customer ON tracking_events (customer_id, created_at DESC)`,
];

const TRACKING_EVENTS: TableSpec = {
  name: 'tracking_events',
  columns: `id bigint GENERATED ALWAYS AS IDENTITY, campaign_id uuid, customer_id uuid NOT NULL,
    channel text, kind text NOT NULL, url text, created_at timestamptz NOT NULL DEFAULT now()`,
  copy: `id, campaign_id, customer_id, channel, kind, url, created_at`,
  key: 'created_at',
  identity: 'id',
  partitioned: [
    `ALTER TABLE tracking_events ADD CONSTRAINT tracking_events_pkey PRIMARY KEY (id, created_at)`,
    ...EVENT_COMMON,
  ],
  plain: [
    `ALTER TABLE tracking_events ADD CONSTRAINT tracking_events_pkey PRIMARY KEY (id)`,
    ...EVENT_COMMON,
  ],
};

/** The foreign keys to messages(id) of the plain table, as they were. */
const MESSAGE_REFERENCES: Array<[table: string, action: string]> = [
  ['attachments', 'CASCADE'],
  ['csat_responses', 'SET NULL'],
  ['delivery_attempts', 'CASCADE'],
  ['digests', 'SET NULL'],
  ['notifications', 'SET NULL'],
];

const pad = (n: number) => String(n).padStart(2, '0');

/** Monthly partition `<table>_yYYYYmMM` covering [month start, next month start) in UTC. */
function monthPartition(table: string, year: number, month0: number): string {
  const from = new Date(Date.UTC(year, month0, 1));
  const to = new Date(Date.UTC(year, month0 + 1, 1));
  const name = `${table}_y${from.getUTCFullYear()}m${pad(from.getUTCMonth() + 1)}`;
  return `CREATE TABLE ${name} PARTITION OF ${table}
    FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`;
}

/** The months (year, month0) of the rows of `table`, and the current and next few ones. */
async function monthsFor(q: QueryRunner, table: string, key: string) {
  const rows = (await q.query(
    `SELECT DISTINCT extract(year FROM ${key} AT TIME ZONE 'UTC')::int AS y,
            extract(month FROM ${key} AT TIME ZONE 'UTC')::int - 1 AS m FROM ${table}`,
  )) as Array<{ y: number; m: number }>;
  const now = new Date();
  const months = new Map<string, [number, number]>();
  for (const r of rows) months.set(`${r.y}-${r.m}`, [r.y, r.m]);
  for (let i = 0; i <= MONTHS_AHEAD; i++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
    months.set(`${d.getUTCFullYear()}-${d.getUTCMonth()}`, [d.getUTCFullYear(), d.getUTCMonth()]);
  }
  return [...months.values()];
}

/**
 * Rebuilds `spec`'s table as a partitioned (or plain) one with the same columns and rows: a new
 * table, the rows copied, the old one dropped, the new one renamed, then keys, indexes, triggers.
 */
async function rebuild(q: QueryRunner, spec: TableSpec, partitioned: boolean): Promise<void> {
  const { name, key } = spec;
  const next = `${name}_rebuilt`;
  await q.query(
    `CREATE TABLE ${next} (${spec.columns})${partitioned ? ` PARTITION BY RANGE (${key})` : ''}`,
  );
  if (partitioned) {
    // Named after the final table: the old one has no partitions, so no name is taken.
    for (const [y, m] of await monthsFor(q, name, key))
      await q.query(
        monthPartition(name, y, m).replace(`PARTITION OF ${name}`, `PARTITION OF ${next}`),
      );
    await q.query(`CREATE TABLE ${name}_default PARTITION OF ${next} DEFAULT`);
  }
  await q.query(
    `INSERT INTO ${next} (${spec.copy}) OVERRIDING SYSTEM VALUE SELECT ${spec.copy} FROM ${name}`,
  );
  await q.query(`DROP TABLE ${name}`);
  await q.query(`ALTER TABLE ${next} RENAME TO ${name}`);
  if (spec.identity) {
    await q.query(
      `ALTER SEQUENCE ${next}_${spec.identity}_seq RENAME TO ${name}_${spec.identity}_seq`,
    );
    await q.query(
      `SELECT setval(pg_get_serial_sequence('${name}', '${spec.identity}'),
                     COALESCE(max(${spec.identity}), 0) + 1, false) FROM ${name}`,
    );
  }
  for (const sql of partitioned ? spec.partitioned : spec.plain) await q.query(sql);
}

export class MonthlyPartitions1763912500000 implements MigrationInterface {
  name = 'MonthlyPartitions1763912500000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table] of MESSAGE_REFERENCES)
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_message_id_fkey`);
    await rebuild(q, MESSAGES, true);
    await rebuild(q, DELIVERY_ATTEMPTS, true);
    await rebuild(q, TRACKING_EVENTS, true);

    await q.query(
      `CREATE TABLE message_keys (
         key text PRIMARY KEY,
         message_id uuid NOT NULL,
         created_at timestamptz NOT NULL)`,
    );
    await q.query(`CREATE INDEX message_keys_message ON message_keys (message_id)`);
    await q.query(
      `INSERT INTO message_keys (key, message_id, created_at)
       SELECT 'idem:' || idempotency_key, id, created_at FROM messages WHERE idempotency_key IS NOT NULL
       UNION ALL
       SELECT 'pid:' || channel || ':' || provider_message_id, id, created_at FROM messages
        WHERE channel IS NOT NULL AND provider_message_id IS NOT NULL`,
    );
    // A message's own key is no conflict: an UPDATE moving a row to another partition re-inserts it.
    await q.query(
      `CREATE FUNCTION messages_take_keys() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         idem text := 'idem:' || NEW.idempotency_key;
         pid text := 'pid:' || NEW.channel || ':' || NEW.provider_message_id;
       BEGIN
         IF idem IS NOT NULL THEN
           INSERT INTO message_keys (key, message_id, created_at) VALUES (idem, NEW.id, NEW.created_at)
           ON CONFLICT (key) DO NOTHING;
           IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM message_keys WHERE key = idem AND message_id = NEW.id) THEN
             RETURN NULL;
           END IF;
         END IF;
         IF pid IS NOT NULL THEN
           INSERT INTO message_keys (key, message_id, created_at) VALUES (pid, NEW.id, NEW.created_at)
           ON CONFLICT (key) DO NOTHING;
           IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM message_keys WHERE key = pid AND message_id = NEW.id) THEN
             DELETE FROM message_keys WHERE key = idem AND message_id = NEW.id;
             RETURN NULL;
           END IF;
         END IF;
         RETURN NEW;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER messages_keys_on_insert BEFORE INSERT ON messages
         FOR EACH ROW EXECUTE FUNCTION messages_take_keys()`,
    );
    await q.query(
      `CREATE FUNCTION messages_move_keys() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         DELETE FROM message_keys WHERE message_id = OLD.id
           AND key IN ('idem:' || OLD.idempotency_key, 'pid:' || OLD.channel || ':' || OLD.provider_message_id);
         INSERT INTO message_keys (key, message_id, created_at)
         SELECT k, NEW.id, NEW.created_at FROM unnest(ARRAY[
           'idem:' || NEW.idempotency_key, 'pid:' || NEW.channel || ':' || NEW.provider_message_id]) k
          WHERE k IS NOT NULL;
         RETURN NEW;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER messages_keys_on_update BEFORE UPDATE OF channel, idempotency_key, provider_message_id
         ON messages FOR EACH ROW
         WHEN (OLD.channel IS DISTINCT FROM NEW.channel
               OR OLD.idempotency_key IS DISTINCT FROM NEW.idempotency_key
               OR OLD.provider_message_id IS DISTINCT FROM NEW.provider_message_id)
         EXECUTE FUNCTION messages_move_keys()`,
    );
    // What the foreign keys to messages(id) did on delete. Retention, which drops whole
    // partitions, does the same for the rows of a partition (src/partitions).
    await q.query(
      `CREATE FUNCTION messages_forget() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         DELETE FROM attachments WHERE message_id IN (SELECT id FROM gone);
         DELETE FROM delivery_attempts WHERE message_id IN (SELECT id FROM gone);
         UPDATE csat_responses SET message_id = NULL WHERE message_id IN (SELECT id FROM gone);
         UPDATE digests SET message_id = NULL WHERE message_id IN (SELECT id FROM gone);
         UPDATE notifications SET message_id = NULL WHERE message_id IN (SELECT id FROM gone);
         DELETE FROM message_keys WHERE message_id IN (SELECT id FROM gone);
         RETURN NULL;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER messages_forget AFTER DELETE ON messages REFERENCING OLD TABLE AS gone
         FOR EACH STATEMENT EXECUTE FUNCTION messages_forget()`,
    );

    await q.query(
      `CREATE TABLE finished_jobs (
         id uuid NOT NULL, queue text NOT NULL, name text NOT NULL, payload jsonb NOT NULL,
         dedupe_key text, status text NOT NULL, run_at timestamptz NOT NULL,
         attempts integer NOT NULL, max_attempts integer NOT NULL, last_error text,
         created_at timestamptz NOT NULL, finished_at timestamptz NOT NULL,
         CONSTRAINT finished_jobs_pkey PRIMARY KEY (id, finished_at)
       ) PARTITION BY RANGE (finished_at)`,
    );
    for (const [y, m] of await monthsFor(q, 'finished_jobs', 'finished_at'))
      await q.query(monthPartition('finished_jobs', y, m));
    await q.query(`CREATE TABLE finished_jobs_default PARTITION OF finished_jobs DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO outbox_jobs (id, queue, name, payload, dedupe_key, status, run_at, attempts,
                                max_attempts, last_error, created_at, updated_at)
       SELECT id, queue, name, payload, dedupe_key, status, run_at, attempts, max_attempts,
              last_error, created_at, finished_at FROM finished_jobs
       ON CONFLICT DO NOTHING`,
    );
    await q.query(`DROP TABLE finished_jobs`);
    await q.query(`DROP TABLE message_keys`);
    await rebuild(q, TRACKING_EVENTS, false);
    await rebuild(q, DELIVERY_ATTEMPTS, false);
    await rebuild(q, MESSAGES, false);
    await q.query(`DROP FUNCTION messages_take_keys()`);
    await q.query(`DROP FUNCTION messages_move_keys()`);
    await q.query(`DROP FUNCTION messages_forget()`);
    for (const [table, action] of MESSAGE_REFERENCES)
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_message_id_fkey
           FOREIGN KEY (message_id) REFERENCES messages(id) ON DELETE ${action}`,
      );
  }
}
