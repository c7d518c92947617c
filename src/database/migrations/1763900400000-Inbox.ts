import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The shared inbox: teams, canned responses, SLA policies, tags, CSAT, follow-ups, presence, message search. */
export class Inbox1763900400000 implements MigrationInterface {
  name = 'Inbox1763900400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        timezone text NOT NULL DEFAULT 'UTC',
        business_hours jsonb,
        holidays date[] NOT NULL DEFAULT '{}',
        assignment_strategy text NOT NULL DEFAULT 'least_open' CHECK (assignment_strategy IN ('round_robin','least_open')),
        last_assigned_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE team_members (
        team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (team_id, user_id)
      )`);
    await q.query(`CREATE INDEX team_members_user ON team_members (user_id)`);
    await q.query(`
      CREATE TABLE agent_presence (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('online','away','offline')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE canned_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        short_code text NOT NULL UNIQUE,
        title text,
        text text NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sla_policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        priority text CHECK (priority IN ('low','normal','high','critical')),
        channel text,
        first_response_seconds integer,
        resolution_seconds integer,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE conversations ADD COLUMN tags text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE conversations ADD COLUMN queued_at timestamptz`);
    await q.query(`ALTER TABLE conversations ADD COLUMN csat_requested_at timestamptz`);
    await q.query(`ALTER TABLE conversations ADD COLUMN csat_score integer`);
    await q.query(
      `CREATE INDEX conversations_list ON conversations ((COALESCE(last_message_at, created_at)) DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX conversations_status_recent ON conversations (status, (COALESCE(last_message_at, created_at)) DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX conversations_assignee ON conversations (assignee_id, status) WHERE assignee_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX conversations_team ON conversations (team_id, status)`);
    await q.query(
      `CREATE INDEX conversations_queue ON conversations (queued_at) WHERE queued_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX conversations_tags ON conversations USING gin (tags)`);
    await q.query(`CREATE INDEX messages_text_trgm ON messages USING gin (text gin_trgm_ops)`);
    await q.query(`
      CREATE TABLE csat_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
        score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX csat_responses_conversation ON csat_responses (conversation_id)`);
    await q.query(`
      CREATE TABLE follow_ups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        agent_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        note text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','done','cancelled')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX follow_ups_conversation ON follow_ups (conversation_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'follow_ups',
      'csat_responses',
      'sla_policies',
      'canned_responses',
      'agent_presence',
      'team_members',
      'teams',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query(`DROP INDEX IF EXISTS messages_text_trgm`);
    // conversations_queue and conversations_tags go with their columns.
    for (const i of [
      'conversations_list',
      'conversations_status_recent',
      'conversations_assignee',
      'conversations_team',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${i}`);
    }
    for (const c of ['tags', 'queued_at', 'csat_requested_at', 'csat_score']) {
      await q.query(`ALTER TABLE conversations DROP COLUMN IF EXISTS ${c}`);
    }
  }
}
