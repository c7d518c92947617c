import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Channel, Purpose } from '../common/names';
import { messageView, type MessageView } from '../common/views';
import type { Tx } from '../database/transactions';
import type { DigestHistory } from '../routing/decision';
import { LOW_CONTACT } from '../routing/digest-history.sql';

type Row = Record<string, unknown>;

/** A low-urgency message to hold in the customer's digest. */
export interface GatheredMessage {
  customerId: string;
  channel: Channel;
  address: string;
  text: string;
  html: string | null;
  subject: string | null;
  purpose: Purpose;
  topic: string;
  template: string;
  authorId: string | null;
  idempotencyKey: string | null;
  route: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A digest as its flush reads it. */
export interface DigestRow {
  id: string;
  customerId: string;
  status: 'open' | 'closed' | 'sent' | 'dropped';
  dueAt: Date;
  messageId: string | null;
}

/** A message waiting in a digest. */
export interface DigestItem {
  id: string;
  /** The item's customer now: a merge moves the items of a digest to the surviving customer. */
  customerId: string;
  channel: Channel;
  purpose: Purpose;
  topic: string | null;
  template: string | null;
  subject: string | null;
  text: string;
  createdAt: Date;
  metadata: Record<string, unknown>;
}

function digestRow(r: Row): DigestRow {
  return {
    id: r.id as string,
    customerId: r.customer_id as string,
    status: r.status as DigestRow['status'],
    dueAt: r.due_at as Date,
    messageId: (r.message_id as string | null) ?? null,
  };
}

/** Digests and the messages they hold: the history a plan reads, gathering, and the flush's steps. */
@Injectable()
export class DigestsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The customer's latest low-urgency contact (its send time: a quiet-hours delay counts from
   * when it goes) within `lookbackMinutes` of `now`, a digest being flushed counting from its
   * due time, and their open digest: one round trip.
   */
  async history(customerId: string, now: Date, lookbackMinutes: number): Promise<DigestHistory> {
    const [row] = (await this.db.query(
      `SELECT greatest(
                (SELECT max(coalesce(m.send_at, m.created_at)) FROM messages m
                  WHERE m.customer_id = $1 AND ${LOW_CONTACT}
                    AND m.created_at > $2::timestamptz - $3 * interval '1 minute'),
                (SELECT max(d.due_at) FROM digests d WHERE d.customer_id = $1 AND d.status = 'closed')) AS last_low_at,
              (SELECT json_build_object('id', d.id, 'dueAt', d.due_at) FROM digests d
                WHERE d.customer_id = $1 AND d.status = 'open') AS open_digest`,
      [customerId, now, lookbackMinutes],
    )) as Row[];
    const open = row.open_digest as { id: string; dueAt: string } | null;
    return {
      lastLowAt: (row.last_low_at as Date | null) ?? null,
      openDigest: open ? { id: open.id, dueAt: new Date(open.dueAt) } : null,
    };
  }

  /**
   * The customer's open digest, opened due at `dueAt` when they have none (an open one keeps
   * its own due time); `opened` says which. Locks the digest row until the caller commits, so
   * a flush cannot close it under a message joining it.
   */
  async openDigest(
    customerId: string,
    dueAt: Date,
    tx: Tx,
  ): Promise<{ digest: DigestRow; opened: boolean }> {
    const [row] = (await tx.query(
      `INSERT INTO digests (customer_id, due_at) VALUES ($1, $2)
       ON CONFLICT (customer_id) WHERE status = 'open' DO UPDATE SET updated_at = now()
       RETURNING *, (xmax = 0) AS opened`,
      [customerId, dueAt],
    )) as Row[];
    return { digest: digestRow(row), opened: row.opened === true };
  }

  /** The message, held in the digest; null when its idempotency key was taken already. */
  async insertGathered(
    input: GatheredMessage,
    digest: DigestRow,
    tx: Tx,
  ): Promise<MessageView | null> {
    const metadata = {
      ...input.metadata,
      digest: { id: digest.id, dueAt: digest.dueAt.toISOString() },
    };
    const rows = (await tx.query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, html, subject, address,
                             author_id, idempotency_key, purpose, topic, urgency, template, route, metadata,
                             send_at, digest_id)
       VALUES ($1, 'outbound', 'message', $2, 'digested', $3, $4, $5, $6, $7, $8, $9, $10, 'low', $11, $12, $13, $14, $15)
       RETURNING *`,
      [
        input.customerId,
        input.channel,
        input.text,
        input.html,
        input.subject,
        input.address,
        input.authorId,
        input.idempotencyKey,
        input.purpose,
        input.topic,
        input.template,
        // The digest's own due time: the planned one, unless the digest planned was closed since.
        JSON.stringify({ ...input.route, sendAt: digest.dueAt.toISOString() }),
        JSON.stringify(metadata),
        digest.dueAt,
        digest.id,
      ],
    )) as Row[];
    return rows[0] ? messageView(rows[0]) : null;
  }

  async byId(digestId: string): Promise<DigestRow | null> {
    const rows = (await this.db.query(`SELECT * FROM digests WHERE id = $1`, [digestId])) as Row[];
    return rows[0] ? digestRow(rows[0]) : null;
  }

  /**
   * Closes an open digest: nothing joins it from now on (a later message opens a new one).
   * Waits for a message joining it to commit. Answers the digest as it is after: 'closed' also
   * when an earlier flush closed it and stopped before sending.
   */
  async close(digestId: string): Promise<DigestRow | null> {
    const rows = (await this.db.query(
      `WITH closed AS (UPDATE digests SET status = 'closed', updated_at = now()
                       WHERE id = $1 AND status = 'open' RETURNING *)
       SELECT * FROM closed UNION ALL SELECT * FROM digests WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM closed)`,
      [digestId],
    )) as Row[];
    return rows[0] ? digestRow(rows[0]) : null;
  }

  /** The messages a closed digest holds, oldest first. */
  async items(digestId: string): Promise<DigestItem[]> {
    const rows = (await this.db.query(
      `SELECT id, customer_id, channel, purpose, topic, template, subject, text, created_at, metadata FROM messages
       WHERE digest_id = $1 AND status = 'digested' ORDER BY seq`,
      [digestId],
    )) as Row[];
    return rows.map((r) => ({
      id: r.id as string,
      customerId: r.customer_id as string,
      channel: r.channel as Channel,
      purpose: r.purpose as Purpose,
      topic: (r.topic as string | null) ?? null,
      template: (r.template as string | null) ?? null,
      subject: (r.subject as string | null) ?? null,
      text: r.text as string,
      createdAt: r.created_at as Date,
      metadata: (r.metadata as Record<string, unknown>) ?? {},
    }));
  }

  /**
   * The end of a flush, in one statement: the carried items point at the digest message, the
   * dropped ones are suppressed with their reason, the digest is marked sent (or dropped when
   * there is no message). Running it twice changes nothing more.
   */
  async settle(
    digestId: string,
    messageId: string | null,
    dropped: ReadonlyArray<{ id: string; reason: string }>,
    reason: string | null,
  ): Promise<void> {
    await this.db.query(
      `WITH d AS (UPDATE digests SET status = CASE WHEN $2::uuid IS NULL THEN 'dropped' ELSE 'sent' END,
                         message_id = $2, reason = $4, updated_at = now()
                  WHERE id = $1 AND status = 'closed' RETURNING id),
            gone AS (SELECT (x->>'id')::uuid AS id, x->>'reason' AS reason FROM jsonb_array_elements($3::jsonb) x),
            dropped AS (UPDATE messages m SET status = 'suppressed', updated_at = now(),
                          metadata = jsonb_set(m.metadata, '{digest}', coalesce(m.metadata->'digest', '{}') ||
                                     jsonb_build_object('dropped', gone.reason))
                        FROM gone, d WHERE m.id = gone.id AND m.digest_id = $1 AND m.status = 'digested')
       UPDATE messages m SET updated_at = now(),
              metadata = jsonb_set(m.metadata, '{digest}', coalesce(m.metadata->'digest', '{}') ||
                         jsonb_build_object('messageId', $2::uuid))
       FROM d WHERE $2::uuid IS NOT NULL AND m.digest_id = $1 AND m.status = 'digested'
         AND m.id NOT IN (SELECT id FROM gone)`,
      [digestId, messageId, JSON.stringify(dropped), reason],
    );
  }
}
