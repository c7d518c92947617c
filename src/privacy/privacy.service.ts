import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../common/errors/domain-error';

type Row = Record<string, unknown>;

/** A customer's data: exported whole (every access audited) or erased (aggregates kept). */
@Injectable()
export class PrivacyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async export(customerId: string, actorId: string) {
    const [customer] = (await this.db.query(`SELECT * FROM customers WHERE id = $1`, [
      customerId,
    ])) as Row[];
    if (!customer) throw notFound('customer', customerId);
    const q = (sql: string) => this.db.query(sql, [customerId]) as Promise<Row[]>;
    const data = {
      exportedAt: new Date().toISOString(),
      customer,
      identities: await q(
        `SELECT * FROM customer_identities WHERE customer_id = $1 ORDER BY created_at`,
      ),
      consents: await q(`SELECT * FROM consents WHERE customer_id = $1 ORDER BY seq`),
      conversations: await q(
        `SELECT * FROM conversations WHERE customer_id = $1 ORDER BY created_at`,
      ),
      // search_text is the index's lower-cased copy of text, not data of its own.
      messages: (await q(`SELECT * FROM messages WHERE customer_id = $1 ORDER BY seq`)).map(
        ({ search_text: _copy, ...m }) => m,
      ),
      csat: await q(`SELECT * FROM csat_responses WHERE customer_id = $1 ORDER BY created_at`),
    };
    await this.audit.record({
      actorId,
      action: 'customer.export',
      entityType: 'customer',
      entityId: customerId,
      details: { messages: data.messages.length, identities: data.identities.length },
    });
    return data;
  }

  /** Removes personal data in one transaction; rows (and so counts) stay, their content does not. */
  async erase(customerId: string, actorId: string) {
    return this.db.transaction(async (m) => {
      const [c] = (await m.query(`SELECT id, erased_at FROM customers WHERE id = $1 FOR UPDATE`, [
        customerId,
      ])) as Row[];
      if (!c) throw notFound('customer', customerId);
      await m.query(`SET LOCAL hub.erasure = 'on'`);
      await m.query(
        `UPDATE customers SET display_name = 'Erased customer', attributes = '{}', tags = '{}', preferences = '{"matrix":[],"quietHours":null}',
                erased_at = now(), updated_at = now() WHERE id = $1`,
        [customerId],
      );
      const identities = (await m.query(`DELETE FROM customer_identities WHERE customer_id = $1`, [
        customerId,
      ])) as [unknown, number];
      const messages = (await m.query(
        `UPDATE messages SET text = '', html = NULL, subject = NULL, address = NULL, attachments = '[]', template_data = NULL, metadata = '{}', updated_at = now()
         WHERE customer_id = $1`,
        [customerId],
      )) as [unknown, number];
      await m.query(
        `DELETE FROM attachments WHERE message_id IN (SELECT id FROM messages WHERE customer_id = $1)`,
        [customerId],
      );
      await m.query(
        `UPDATE delivery_attempts SET address = NULL, details = NULL WHERE message_id IN (SELECT id FROM messages WHERE customer_id = $1)`,
        [customerId],
      );
      await m.query(
        `UPDATE sandbox_outbox SET to_address = 'erased', text = '', html = NULL, subject = NULL, payload = '{}' WHERE message_id IN (SELECT id FROM messages WHERE customer_id = $1)`,
        [customerId],
      );
      await m.query(
        `UPDATE conversations SET subject = NULL, last_message_preview = NULL WHERE customer_id = $1`,
        [customerId],
      );
      await m.query(`UPDATE consents SET evidence = NULL WHERE customer_id = $1`, [customerId]);
      await this.audit.record(
        {
          actorId,
          action: 'customer.erase',
          entityType: 'customer',
          entityId: customerId,
          details: { identities: identities[1], messages: messages[1] },
        },
        m,
      );
      return {
        id: customerId,
        erased: true,
        identitiesRemoved: identities[1],
        messagesBlanked: messages[1],
      };
    });
  }
}
