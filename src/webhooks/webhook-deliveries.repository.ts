import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/transactions';

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventType: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  log: AttemptLogEntry[];
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** One attempt as the delivery log keeps it. */
export interface AttemptLogEntry {
  at: string;
  status: number | null;
  error: string | null;
  ms: number;
}

/** How one attempt ended. */
export interface AttemptOutcome {
  ok: boolean;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  ms: number;
  /** No attempt follows: a failure is final. */
  final: boolean;
}

const COLUMNS = `id, subscription_id AS "subscriptionId", event_type AS "eventType", payload, status,
  attempts, response_status AS "responseStatus", response_body AS "responseBody", error, log,
  created_at AS "createdAt", last_attempt_at AS "lastAttemptAt", delivered_at AS "deliveredAt"`;

/** Attempts kept in a delivery's log (the newest). */
const LOG_KEEP = 20;

/** The webhook_deliveries table: one row per event and subscription, its attempts logged on it. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The deliveries written: none for a subscription that already has this event. */
  async insertMany(
    tx: Tx,
    rows: Array<{
      id: string;
      subscriptionId: string;
      eventType: string;
      dedupeKey: string;
      payload: unknown;
    }>,
  ): Promise<string[]> {
    if (rows.length === 0) return [];
    const written = (await tx.query(
      `INSERT INTO webhook_deliveries (id, subscription_id, event_type, dedupe_key, payload)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[])
       ON CONFLICT (subscription_id, dedupe_key) DO NOTHING RETURNING id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.subscriptionId),
        rows.map((r) => r.eventType),
        rows.map((r) => r.dedupeKey),
        rows.map((r) => JSON.stringify(r.payload)),
      ],
    )) as Array<{ id: string }>;
    return written.map((r) => r.id);
  }

  async find(id: string): Promise<WebhookDelivery | null> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`, [
      id,
    ])) as WebhookDelivery[];
    return rows[0] ?? null;
  }

  /** Newest first, keyset by (created_at, id). */
  async list(
    subscriptionId: string,
    limit: number,
    before: { at: string; id: string } | null,
  ): Promise<WebhookDelivery[]> {
    return (await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_deliveries WHERE subscription_id = $1
         AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::text))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [subscriptionId, before?.at ?? null, before?.id ?? null, limit],
    )) as WebhookDelivery[];
  }

  /** Records an attempt; a delivered row stays delivered (a late duplicate changes nothing). */
  async recordAttempt(id: string, o: AttemptOutcome): Promise<void> {
    const entry: AttemptLogEntry = {
      at: new Date().toISOString(),
      status: o.responseStatus,
      error: o.error,
      ms: o.ms,
    };
    await this.db.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(),
         response_status = $2, response_body = $3, error = $4,
         log = (SELECT COALESCE(jsonb_agg(e), '[]'::jsonb) FROM (
                  SELECT e FROM jsonb_array_elements(log || jsonb_build_array($5::jsonb)) e
                  OFFSET GREATEST(0, jsonb_array_length(log) + 1 - ${LOG_KEEP})) t),
         status = CASE WHEN status = 'delivered' THEN status
                       WHEN $6 THEN 'delivered' WHEN $7 THEN 'failed' ELSE 'pending' END,
         delivered_at = CASE WHEN $6 AND delivered_at IS NULL THEN now() ELSE delivered_at END
       WHERE id = $1`,
      [id, o.responseStatus, o.responseBody, o.error, JSON.stringify(entry), o.ok, o.final],
    );
  }

  /** A replay: the delivery is pending again (its log kept). */
  async reopen(id: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'pending', delivered_at = NULL WHERE id = $1`,
      [id],
    );
  }
}
