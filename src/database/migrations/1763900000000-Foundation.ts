import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The foundation schema: customers, identities, conversations, the timeline, delivery, consent, users, audit, job outbox. */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','supervisor','agent','marketer')),
        active boolean NOT NULL DEFAULT true,
        capacity integer NOT NULL DEFAULT 10,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name text NOT NULL,
        locale text NOT NULL DEFAULT 'en',
        timezone text NOT NULL DEFAULT 'UTC',
        attributes jsonb NOT NULL DEFAULT '{}',
        tags text[] NOT NULL DEFAULT '{}',
        tier text,
        preferences jsonb NOT NULL DEFAULT '{"matrix":[],"quietHours":null}',
        merged_into_id uuid REFERENCES customers(id),
        erased_at timestamptz,
        last_contact_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX customers_tags ON customers USING gin (tags)`);
    await q.query(`
      CREATE TABLE customer_identities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('email','phone','wechat','livechat')),
        channel text NOT NULL,
        address text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','undeliverable','bounced')),
        status_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT customer_identities_kind_address UNIQUE (kind, address)
      )`);
    await q.query(`CREATE INDEX customer_identities_customer ON customer_identities (customer_id)`);
    await q.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','pending','snoozed','resolved')),
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','critical')),
        assignee_id uuid REFERENCES users(id) ON DELETE SET NULL,
        team_id uuid,
        subject text,
        last_channel text,
        last_inbound_channel text,
        last_message_at timestamptz,
        last_message_preview text,
        snoozed_until timestamptz,
        first_response_at timestamptz,
        resolved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One active episode per customer: concurrent first messages cannot open two.
    await q.query(
      `CREATE UNIQUE INDEX conversations_one_active_per_customer ON conversations (customer_id) WHERE status <> 'resolved'`,
    );
    await q.query(
      `CREATE INDEX conversations_customer ON conversations (customer_id, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX conversations_recent ON conversations (last_message_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
        direction text NOT NULL CHECK (direction IN ('inbound','outbound')),
        kind text NOT NULL CHECK (kind IN ('message','note','call','event')),
        channel text,
        status text NOT NULL CHECK (status IN ('queued','sent','delivered','read','failed','undelivered','suppressed')),
        text text NOT NULL DEFAULT '',
        html text,
        subject text,
        attachments jsonb NOT NULL DEFAULT '[]',
        address text,
        provider_message_id text,
        author_id uuid REFERENCES users(id) ON DELETE SET NULL,
        idempotency_key text,
        topic text,
        urgency text,
        purpose text,
        template text,
        template_data jsonb,
        route jsonb,
        metadata jsonb NOT NULL DEFAULT '{}',
        auto_reply boolean NOT NULL DEFAULT false,
        send_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT messages_seq UNIQUE (seq),
        CONSTRAINT messages_channel_provider_id UNIQUE (channel, provider_message_id),
        CONSTRAINT messages_idempotency_key UNIQUE (idempotency_key)
      )`);
    await q.query(`CREATE INDEX messages_customer_timeline ON messages (customer_id, seq DESC)`);
    await q.query(
      `CREATE INDEX messages_conversation_timeline ON messages (conversation_id, seq DESC)`,
    );
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id uuid REFERENCES messages(id) ON DELETE CASCADE,
        filename text NOT NULL,
        content_type text NOT NULL,
        size integer NOT NULL,
        content bytea,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachments_message ON attachments (message_id)`);
    await q.query(`
      CREATE TABLE delivery_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        attempt_no integer NOT NULL,
        channel text NOT NULL,
        address text,
        status text NOT NULL CHECK (status IN ('queued','sent','delivered','read','failed','undelivered','suppressed')),
        error_class text,
        error_code text,
        error text,
        provider_message_id text,
        details jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT delivery_attempts_provider_id UNIQUE (channel, provider_message_id)
      )`);
    await q.query(
      `CREATE INDEX delivery_attempts_message ON delivery_attempts (message_id, attempt_no)`,
    );
    await q.query(`
      CREATE TABLE consents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        channel text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('transactional','service','marketing')),
        status text NOT NULL CHECK (status IN ('granted','revoked')),
        source text NOT NULL,
        evidence jsonb,
        actor_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX consents_latest ON consents (customer_id, channel, purpose, seq DESC)`,
    );
    // The ledger is append-only: rows are never rewritten (erasure blanks evidence through a flagged session).
    await q.query(`
      CREATE FUNCTION consents_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('hub.erasure', true) = 'on' THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the consent ledger is append-only';
      END $$`);
    await q.query(
      `CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents FOR EACH ROW EXECUTE FUNCTION consents_append_only()`,
    );
    await q.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        actor_id uuid,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        details jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, created_at DESC)`,
    );
    await q.query(`
      CREATE TABLE outbox_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        queue text NOT NULL,
        name text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        dedupe_key text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','running','done','failed')),
        run_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL DEFAULT 5,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT outbox_jobs_dedupe_key UNIQUE (dedupe_key)
      )`);
    await q.query(
      `CREATE INDEX outbox_jobs_open ON outbox_jobs (run_at) WHERE status IN ('pending','running')`,
    );
    await q.query(`
      CREATE TABLE sandbox_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        channel text NOT NULL,
        to_address text NOT NULL,
        from_address text,
        subject text,
        text text NOT NULL,
        html text,
        message_id uuid,
        provider_message_id text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX sandbox_outbox_lookup ON sandbox_outbox (channel, to_address, seq DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'sandbox_outbox',
      'outbox_jobs',
      'audit_log',
      'consents',
      'delivery_attempts',
      'attachments',
      'messages',
      'conversations',
      'customer_identities',
      'customers',
      'users',
      'settings',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query(`DROP FUNCTION IF EXISTS consents_append_only()`);
  }
}
