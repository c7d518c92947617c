import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { returnedRows } from '../database/returned-rows';

export interface WebhookSubscription {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  active: boolean;
  failuresInRow: number;
  disabledReason: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** With the signing secret: only for the dispatcher and the answer to a create. */
export interface SigningSubscription extends WebhookSubscription {
  secret: string;
}

const COLUMNS = `id, url, events, description, active, failures_in_row AS "failuresInRow",
  disabled_reason AS "disabledReason", created_by AS "createdBy", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

/** The webhook_subscriptions table; a deleted subscription keeps its row for its delivery log. */
@Injectable()
export class WebhookSubscriptionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(s: {
    url: string;
    events: string[];
    description: string | null;
    secret: string;
    createdBy: string;
  }): Promise<SigningSubscription> {
    const rows = (await this.db.query(
      `INSERT INTO webhook_subscriptions (url, events, description, secret, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}, secret`,
      [s.url, s.events, s.description, s.secret, s.createdBy],
    )) as SigningSubscription[];
    return rows[0];
  }

  async list(): Promise<WebhookSubscription[]> {
    return (await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_subscriptions WHERE deleted_at IS NULL
        ORDER BY created_at DESC LIMIT 200`,
    )) as WebhookSubscription[];
  }

  async find(id: string): Promise<SigningSubscription | null> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS}, secret FROM webhook_subscriptions WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    )) as SigningSubscription[];
    return rows[0] ?? null;
  }

  /** Active subscriptions to an event type. */
  async activeFor(type: string): Promise<Array<{ id: string }>> {
    return (await this.db.query(
      `SELECT id FROM webhook_subscriptions
        WHERE active AND deleted_at IS NULL AND $1 = ANY (events)`,
      [type],
    )) as Array<{ id: string }>;
  }

  async update(
    id: string,
    c: { url?: string; events?: string[]; description?: string | null; active?: boolean },
  ): Promise<WebhookSubscription | null> {
    const rows = returnedRows<WebhookSubscription>(
      await this.db.query(
        `UPDATE webhook_subscriptions SET
           url = COALESCE($2, url), events = COALESCE($3, events),
           description = CASE WHEN $4::boolean THEN $5 ELSE description END,
           active = COALESCE($6, active),
           failures_in_row = CASE WHEN $6 THEN 0 ELSE failures_in_row END,
           disabled_reason = CASE WHEN $6 THEN NULL ELSE disabled_reason END,
           updated_at = now()
         WHERE id = $1 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
        [
          id,
          c.url ?? null,
          c.events ?? null,
          c.description !== undefined,
          c.description ?? null,
          c.active ?? null,
        ],
      ),
    );
    return rows[0] ?? null;
  }

  async remove(id: string): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(
        `UPDATE webhook_subscriptions SET deleted_at = now(), active = false
          WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  /** A delivery succeeded: the count of failures in a row starts again. */
  async succeeded(id: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_subscriptions SET failures_in_row = 0 WHERE id = $1 AND failures_in_row > 0`,
      [id],
    );
  }

  /**
   * A delivery failed for good: counted, and the subscription disabled once `limit` failed in a
   * row. Returns the subscription when this call disabled it (exactly one caller sees that).
   */
  async failed(id: string, limit: number, reason: string): Promise<WebhookSubscription | null> {
    const rows = returnedRows<WebhookSubscription>(
      await this.db.query(
        `UPDATE webhook_subscriptions SET failures_in_row = failures_in_row + 1,
           active = CASE WHEN failures_in_row + 1 >= $2 THEN false ELSE active END,
           disabled_reason = CASE WHEN failures_in_row + 1 >= $2 AND active THEN $3 ELSE disabled_reason END,
           updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}, (active IS FALSE AND failures_in_row = $2) AS "justDisabled"`,
        [id, limit, reason],
      ),
    );
    const row = rows[0] as (WebhookSubscription & { justDisabled?: boolean }) | undefined;
    if (!row?.justDisabled) return null;
    delete row.justDisabled;
    return row;
  }
}
