import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Channel, Purpose, Urgency } from '../common/names';
import type { Tx } from '../database/transactions';
import { quietHours } from '../routing/stored-preferences';
import type { HeldByPause } from './paused-release';

/** A campaign send held by the campaign's pause, with what its release needs. */
export interface PausedSend extends HeldByPause {
  messageId: string;
  channel: Channel;
  /** The first fallback's delay after the send, when its route has fallbacks. */
  firstFallbackSeconds: number | null;
}

/** How one held send is released: sent at `sendAt` with a note, or suppressed with a reason. */
export interface PausedSendRelease {
  messageId: string;
  sendAt: Date | null;
  note: string | null;
  suppressed: string | null;
}

/** A released send that will go: its send job (and first fallback check) are to be staged. */
export interface ReleasedSend {
  messageId: string;
  channel: Channel;
  sendAt: Date;
}

type Row = Record<string, unknown>;

/** The sends a paused campaign holds (messages marked heldByPause), and their release. */
@Injectable()
export class PausedSendsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async held(campaignId: string, limit: number): Promise<PausedSend[]> {
    const rows = (await this.db.query(
      `SELECT m.id, m.channel, m.urgency, m.purpose, c.timezone, c.preferences -> 'quietHours' AS quiet_hours,
              (m.route -> 'fallbacks' -> 0 ->> 'afterSeconds')::int AS first_fallback_seconds
         FROM campaign_recipients r
         JOIN messages m ON m.id = r.message_id
         JOIN customers c ON c.id = m.customer_id
        WHERE r.campaign_id = $1 AND r.status = 'sent' AND m.status = 'queued' AND m.metadata ? 'heldByPause'
        LIMIT $2`,
      [campaignId, limit],
    )) as Row[];
    return rows.map((r) => ({
      messageId: r.id as string,
      channel: r.channel as Channel,
      urgency: r.urgency as Urgency,
      purpose: r.purpose as Purpose,
      timezone: r.timezone as string,
      quietHours: quietHours(r.quiet_hours),
      firstFallbackSeconds: (r.first_fallback_seconds as number | null) ?? null,
    }));
  }

  /**
   * Applies the releases: a send gets its new time (also the route's sendAt, which its fallback
   * checks count from) and the note in its route's reasons, a suppressed one its reason; both
   * lose the mark. Answers the sends that will go.
   */
  async release(tx: Tx, releases: PausedSendRelease[]): Promise<ReleasedSend[]> {
    const rows = (await tx.query(
      `WITH u AS (SELECT * FROM json_to_recordset($1::json)
                    AS u(message_id uuid, send_at timestamptz, send_at_iso text, note text, suppressed text))
       UPDATE messages m
          SET send_at = COALESCE(u.send_at, m.send_at),
              status = CASE WHEN u.suppressed IS NULL THEN m.status ELSE 'suppressed' END,
              metadata = (m.metadata - 'heldByPause') || CASE WHEN u.suppressed IS NULL THEN '{}'::jsonb
                           ELSE jsonb_build_object('delivery', jsonb_build_object('reason', u.suppressed)) END,
              route = CASE WHEN u.suppressed IS NOT NULL OR m.route IS NULL THEN m.route
                           ELSE jsonb_set(jsonb_set(m.route, '{reasons}', COALESCE(m.route -> 'reasons', '[]'::jsonb)
                                          || to_jsonb(COALESCE(u.note, 'resumed'))), '{sendAt}', to_jsonb(u.send_at_iso)) END,
              updated_at = now()
         FROM u
        WHERE m.id = u.message_id AND m.id = ANY($2::uuid[]) AND m.status = 'queued' AND m.metadata ? 'heldByPause'
       RETURNING m.id, m.channel, m.send_at, u.suppressed`,
      [
        JSON.stringify(
          releases.map((r) => ({
            message_id: r.messageId,
            send_at: r.sendAt?.toISOString() ?? null,
            send_at_iso: r.sendAt?.toISOString() ?? null,
            note: r.note,
            suppressed: r.suppressed,
          })),
        ),
        releases.map((r) => r.messageId),
      ],
    )) as [Row[], number];
    return rows[0]
      .filter((r) => r.suppressed === null)
      .map((r) => ({
        messageId: r.id as string,
        channel: r.channel as Channel,
        sendAt: new Date(r.send_at as string),
      }));
  }
}
