import { InjectReadDataSource, type ReadDataSource } from '../../database/read-data-source';
import { Injectable } from '@nestjs/common';
import type { Channel, Purpose, Urgency } from '../../common/names';

/** A routed send of the window, as stored. */
export interface PastSendRow {
  /** The message id, or `recipient:<n>` for a campaign recipient suppressed (no message). */
  id: string;
  message_id: string | null;
  customer_id: string;
  at: Date;
  topic: string;
  urgency: Urgency;
  purpose: Purpose;
  template: string;
  /** Where it went; null when suppressed. */
  channel: Channel | null;
  suppression: string | null;
  /** The caller forced the channel (the route's first reason says so). */
  forced: boolean;
}

/**
 * The routed sends of a window: outbound messages that went through a routing decision (a
 * topic, urgency, purpose and template; fallback follow-ups and the digests carrying others
 * left out, they are no decision of their own), and campaign recipients suppressed by routing,
 * who have no message. Read through the partial index messages_routed_sends.
 */
const SENDS = `
  SELECT m.id::text AS id, m.id AS message_id, m.customer_id, m.created_at AS at, m.topic,
         m.urgency, m.purpose, m.template, coalesce(m.route ->> 'channel', m.channel) AS channel,
         NULL::text AS suppression,
         coalesce((m.route -> 'reasons' ->> 0) LIKE '% chosen: forced by the caller', false) AS forced
  FROM messages m
  WHERE m.direction = 'outbound' AND m.topic IS NOT NULL AND m.created_at > $1
    AND m.kind = 'message' AND m.urgency IS NOT NULL AND m.purpose IS NOT NULL
    AND m.template IS NOT NULL AND m.template <> 'digest' AND NOT (m.metadata ? 'fallbackOf')
  UNION ALL
  SELECT 'recipient:' || cr.id, NULL, cr.customer_id, cr.created_at, c.topic, c.urgency,
         c.purpose, c.template, NULL, cr.suppression, false
  FROM campaign_recipients cr JOIN campaigns c ON c.id = cr.campaign_id
  WHERE cr.status = 'suppressed' AND cr.created_at > $1`;

@Injectable()
export class PastSendsRepository {
  constructor(@InjectReadDataSource() private readonly db: ReadDataSource) {}

  /** The latest `limit` sends since `since`, latest first, and how many the window holds. */
  async latest(since: Date, limit: number): Promise<{ rows: PastSendRow[]; inWindow: number }> {
    const rows = (await this.db.query(
      `SELECT * FROM (${SENDS}) s ORDER BY s.at DESC, s.id DESC LIMIT $2`,
      [since, limit],
    )) as PastSendRow[];
    if (rows.length < limit) return { rows, inWindow: rows.length };
    const counted = (await this.db.query(`SELECT count(*)::int AS n FROM (${SENDS}) s`, [
      since,
    ])) as Array<{ n: number }>;
    return { rows, inWindow: counted[0].n };
  }
}
