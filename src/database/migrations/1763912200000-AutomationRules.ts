import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automation rules (event, conditions, actions, ordered by position, with their firing counts)
 * and macros (named action lists, shared or personal). Ships the business-hours auto-reply as
 * an inactive default rule: outside the team's hours, reply with templates/offline-auto-reply.
 */
export class AutomationRules1763912200000 implements MigrationInterface {
  name = 'AutomationRules1763912200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE automation_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        event text NOT NULL,
        conditions jsonb NOT NULL DEFAULT '[]',
        actions jsonb NOT NULL,
        active boolean NOT NULL DEFAULT true,
        stop_after boolean NOT NULL DEFAULT false,
        position integer NOT NULL DEFAULT 0,
        fire_count integer NOT NULL DEFAULT 0,
        last_fired_at timestamptz,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX automation_rules_order ON automation_rules (position, created_at)`);
    await q.query(`
      CREATE TABLE macros (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        actions jsonb NOT NULL,
        shared boolean NOT NULL DEFAULT false,
        owner_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX macros_owner ON macros (owner_id)`);
    await q.query(
      `INSERT INTO automation_rules (name, event, conditions, actions, active, position)
       VALUES ('Business-hours auto-reply', 'message.received',
               '[{"type":"businessHours","inside":false}]',
               '[{"type":"replyTemplate","template":"offline-auto-reply"}]', false, 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS macros`);
    await q.query(`DROP TABLE IF EXISTS automation_rules`);
  }
}
