import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { InjectReadDataSource, type ReadDataSource } from '../../database/read-data-source';
import { NOTICE_CHAIN_SQL } from './notice-chain.sql';
import type { ReachCellRow } from './reach';

/** A recipient's counts across the chain: reached (delivered or read on any hop), acknowledged (read). */
export interface ReachRecipients {
  recipients: number;
  sent: number;
  suppressed: number;
  reached: number;
  acknowledged: number;
}

/** One row of the proof of notice (an attempt, a message not attempted yet, or a refusal). */
export interface NoticeRow {
  customer_id: string;
  display_name: string;
  recipient_status: string;
  suppression: string | null;
  reasons: string[] | null;
  message_id: string | null;
  hop: number | null;
  channel: string | null;
  message_address: string | null;
  message_status: string | null;
  fallback_reason: string | null;
  message_at: Date | null;
  attempt_no: number | null;
  attempt_at: Date | null;
  attempt_status: string | null;
  attempt_address: string | null;
  error_code: string | null;
  error: string | null;
  provider_message_id: string | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  consent_id: string | null;
  consent_status: 'granted' | 'revoked' | null;
  consent_at: Date | null;
}

const DELIVERED = `('delivered', 'read')`;
const FAILED = `('failed', 'undelivered', 'suppressed')`;

/** The reads behind a crisis broadcast's reach and proof of notice (an export: on the read replica). */
@Injectable()
export class CrisisRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectReadDataSource() private readonly read: ReadDataSource,
  ) {}

  /** Messages per channel and hop, by status (delivered counts read ones too). */
  async reachCells(campaignId: string): Promise<ReachCellRow[]> {
    return (await this.db.query(
      `WITH rec AS (SELECT customer_id, message_id FROM campaign_recipients WHERE campaign_id = $1 AND message_id IS NOT NULL),
       chain AS (${NOTICE_CHAIN_SQL})
       SELECT channel, hop,
              count(*) FILTER (WHERE status <> 'not_sent')::int AS attempted,
              count(*) FILTER (WHERE status IN ${DELIVERED})::int AS delivered,
              count(*) FILTER (WHERE status = 'read')::int AS read,
              count(*) FILTER (WHERE status IN ${FAILED})::int AS failed,
              count(*) FILTER (WHERE status NOT IN ${DELIVERED} AND status NOT IN ${FAILED} AND status <> 'not_sent')::int AS pending,
              count(*) FILTER (WHERE status = 'not_sent')::int AS "notSent"
       FROM chain GROUP BY channel, hop`,
      [campaignId],
    )) as ReachCellRow[];
  }

  async reachRecipients(campaignId: string): Promise<ReachRecipients> {
    const rows = (await this.db.query(
      `WITH rec AS (SELECT customer_id, message_id FROM campaign_recipients WHERE campaign_id = $1 AND message_id IS NOT NULL),
       chain AS (${NOTICE_CHAIN_SQL}),
       per AS (SELECT customer_id, bool_or(status IN ${DELIVERED}) AS reached, bool_or(status = 'read') AS acked
               FROM chain GROUP BY customer_id)
       SELECT (SELECT count(*) FROM campaign_recipients WHERE campaign_id = $1)::int AS recipients,
              (SELECT count(*) FROM campaign_recipients WHERE campaign_id = $1 AND status = 'sent')::int AS sent,
              (SELECT count(*) FROM campaign_recipients WHERE campaign_id = $1 AND status = 'suppressed')::int AS suppressed,
              (SELECT count(*) FROM per WHERE reached)::int AS reached,
              (SELECT count(*) FROM per WHERE acked)::int AS acknowledged`,
      [campaignId],
    )) as ReachRecipients[];
    return rows[0];
  }

  /**
   * The proof-of-notice rows of the recipients after `after` (customer id order), up to `limit`
   * recipients: every attempt of every message of their chain, a message with no attempt yet as
   * one row, a refused fallback step as one row, a suppressed recipient as one row. Each row
   * carries the consent ledger entry in force for its channel and `purpose` when it was made.
   */
  async noticePage(
    campaignId: string,
    purpose: string,
    after: string | null,
    limit: number,
  ): Promise<NoticeRow[]> {
    return (await this.read.query(
      `WITH rec AS (
         SELECT customer_id, message_id, status, suppression, reasons FROM campaign_recipients
         WHERE campaign_id = $1 AND ($2::uuid IS NULL OR customer_id > $2::uuid)
         ORDER BY customer_id LIMIT $3),
       chain AS (${NOTICE_CHAIN_SQL})
       SELECT rec.customer_id, c.display_name, rec.status AS recipient_status, rec.suppression, rec.reasons,
              ch.message_id, ch.hop, ch.channel, ch.address AS message_address, ch.status AS message_status,
              ch.fallback_reason, ch.created_at AS message_at,
              a.attempt_no, a.created_at AS attempt_at, a.status AS attempt_status, a.address AS attempt_address,
              a.error_code, a.error, a.provider_message_id, a.sent_at, a.delivered_at, a.read_at, a.failed_at,
              k.id AS consent_id, k.status AS consent_status, k.created_at AS consent_at
       FROM rec
       JOIN customers c ON c.id = rec.customer_id
       LEFT JOIN chain ch ON ch.customer_id = rec.customer_id
       LEFT JOIN delivery_attempts a ON a.message_id = ch.message_id
       LEFT JOIN LATERAL (
         SELECT k.id, k.status, k.created_at FROM consents k
         WHERE k.customer_id = rec.customer_id AND k.channel = ch.channel AND k.purpose = $4
           AND k.created_at <= COALESCE(a.created_at, ch.created_at)
         ORDER BY k.seq DESC LIMIT 1) k ON ch.channel IS NOT NULL
       ORDER BY rec.customer_id, ch.hop NULLS FIRST, ch.created_at, a.attempt_no`,
      [campaignId, after, limit, purpose],
    )) as NoticeRow[];
  }
}
