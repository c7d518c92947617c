import type { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = `'noConsent','quietHours','frequencyCap','noChannel'`;

/**
 * The contact budget: a campaign recipient may be suppressed as 'contactBudget' (marketing held
 * back while support deals with the customer), and the routing read finds a customer's latest
 * SLA breach and latest CSAT rating by index, for a whole batch of customers at once.
 */
export class ContactBudget1763910200000 implements MigrationInterface {
  name = 'ContactBudget1763910200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE campaign_recipients DROP CONSTRAINT IF EXISTS campaign_recipients_suppression_check`,
    );
    await q.query(
      `ALTER TABLE campaign_recipients ADD CONSTRAINT campaign_recipients_suppression_check CHECK (suppression IN (${BEFORE},'contactBudget'))`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS messages_sla_breaches ON messages (customer_id, created_at DESC)
       WHERE kind = 'event' AND (metadata ->> 'event') = 'sla.breached'`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS csat_responses_customer ON csat_responses (customer_id, created_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS csat_responses_customer`);
    await q.query(`DROP INDEX IF EXISTS messages_sla_breaches`);
    await q.query(
      `UPDATE campaign_recipients SET suppression = 'noChannel' WHERE suppression = 'contactBudget'`,
    );
    await q.query(
      `ALTER TABLE campaign_recipients DROP CONSTRAINT IF EXISTS campaign_recipients_suppression_check`,
    );
    await q.query(
      `ALTER TABLE campaign_recipients ADD CONSTRAINT campaign_recipients_suppression_check CHECK (suppression IN (${BEFORE}))`,
    );
  }
}
