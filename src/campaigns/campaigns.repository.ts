import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/transactions';
import type { CampaignRow, CampaignStatus } from './campaign-types';
import type { CreateCampaign } from './campaign.dto';
import { segmentSql, type Segment } from './segment';

type Row = Record<string, unknown>;

/** Whether campaign $1 holds a send (see HELD_SQL). */
const HELD_OF_CAMPAIGN = `SELECT 1 FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
  WHERE r.campaign_id = $1 AND r.status = 'sent' AND m.status = 'queued' AND m.send_at IS NOT NULL`;

/** A campaign a starting worker re-armed with a new chain generation. */
export interface RearmedCampaign {
  id: string;
  generation: number;
  batchesDone: number;
  status: CampaignStatus;
  sendAt: Date | null;
  /** Set: the fan-out is done and only held sends keep the campaign running. */
  fannedOutAt: Date | null;
}

/** The campaign's sends still held (quiet hours): queued with a send time. */
export interface HeldSends {
  count: number;
  /** The latest send time among them; null when none is held. */
  latest: Date | null;
}

/**
 * A held send: the campaign's message still queued with a send time (the next time quiet hours
 * allow). `r` is the recipient row, `m` its message.
 */
export const HELD_SQL = `m.status = 'queued' AND m.send_at IS NOT NULL`;

/** What a written batch adds to its campaign. */
export interface BatchProgress {
  /** The last customer taken (the keyset cursor). */
  cursor: string | null;
  sent: number;
  suppressed: number;
  /** No customer of the segment follows: the fan-out is done. */
  done: boolean;
}

/** What else a status change records. */
export interface StatusChange {
  /** Stamps launched_at. */
  launched?: boolean;
  /** Starts a new chain generation (the old chain's jobs stand down). */
  newGeneration?: boolean;
  /** A crisis broadcast's launch confirmed by this user: stamps confirmed_by and confirmed_at. */
  confirmedBy?: string | null;
}

/** Campaigns: their definition, lifecycle and the fan-out's cursor and counters. */
@Injectable()
export class CampaignsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(
    body: CreateCampaign,
    batchSize: number,
    createdBy: string | null,
    crisis: { legalBasis: string } | null = null,
  ) {
    const rows = (await this.db.query(
      `INSERT INTO campaigns (name, segment, topic, purpose, urgency, template, variants, data, send_at, rate_per_second, batch_size, created_by, kind, legal_basis)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
      [
        body.name,
        JSON.stringify(body.segment),
        body.topic,
        body.purpose,
        body.urgency,
        body.template,
        body.variants ? JSON.stringify(body.variants) : null,
        JSON.stringify(body.data ?? {}),
        body.sendAt ?? null,
        body.ratePerSecond ?? null,
        batchSize,
        createdBy,
        crisis ? 'crisis' : 'standard',
        crisis?.legalBasis ?? null,
      ],
    )) as Row[];
    return campaign(rows[0]);
  }

  async byId(id: string): Promise<CampaignRow | null> {
    const rows = (await this.db.query(`SELECT * FROM campaigns WHERE id = $1`, [id])) as Row[];
    return rows[0] ? campaign(rows[0]) : null;
  }

  async newest(limit: number): Promise<CampaignRow[]> {
    const rows = (await this.db.query(`SELECT * FROM campaigns ORDER BY created_at DESC LIMIT $1`, [
      limit,
    ])) as Row[];
    return rows.map(campaign);
  }

  /** Moves a campaign from one of `from` to `to`; null when it was in none of them. */
  async moveStatus(
    id: string,
    from: CampaignStatus[],
    to: CampaignStatus,
    change: StatusChange = {},
  ): Promise<CampaignRow | null> {
    const extra =
      (change.launched ? 'launched_at = now(),' : '') +
      (change.newGeneration ? 'generation = generation + 1,' : '') +
      (change.confirmedBy !== undefined ? 'confirmed_by = $4, confirmed_at = now(),' : '');
    const params: unknown[] = [id, to, from];
    if (change.confirmedBy !== undefined) params.push(change.confirmedBy);
    const res = (await this.db.query(
      `UPDATE campaigns SET status = $2, ${extra} updated_at = now() WHERE id = $1 AND status = ANY($3::text[]) RETURNING *`,
      params,
    )) as [Row[], number];
    return res[0][0] ? campaign(res[0][0]) : null;
  }

  /** Every running or scheduled campaign, with a new chain generation. */
  async rearmActive(): Promise<RearmedCampaign[]> {
    const rows = (await this.db.query(
      `UPDATE campaigns SET generation = generation + 1, updated_at = now() WHERE status IN ('running', 'scheduled')
       RETURNING id, generation, batches_done, status, send_at, fanned_out_at`,
    )) as [Row[], number];
    return rows[0].map((r) => ({
      id: r.id as string,
      generation: r.generation as number,
      batchesDone: r.batches_done as number,
      status: r.status as CampaignStatus,
      sendAt: (r.send_at as Date | null) ?? null,
      fannedOutAt: (r.fanned_out_at as Date | null) ?? null,
    }));
  }

  /**
   * The campaign, locked for its batch FOR NO KEY UPDATE (not FOR UPDATE: the batch's side
   * transactions insert recipients, which check their campaign key).
   */
  async lockForBatch(id: string, tx: Tx): Promise<CampaignRow | null> {
    const rows = (await tx.query(`SELECT * FROM campaigns WHERE id = $1 FOR NO KEY UPDATE`, [
      id,
    ])) as Row[];
    return rows[0] ? campaign(rows[0]) : null;
  }

  /**
   * For the rest of the batch's transaction: per-customer lookups in the batch query must use
   * the indexes even when the planner's statistics predate the campaign's own inserts (a seq
   * scan per customer grows quadratic), and read a customer's recent messages in index order (a
   * bitmap scan reads them all to sort them before the limit). (The sessions run without JIT:
   * see data-source-options.)
   */
  async useIndexScans(tx: Tx): Promise<void> {
    await tx.query(`SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`);
  }

  /**
   * Advances the cursor and the counters past a written batch, in the batch's transaction. The
   * last batch (`done`) stamps fanned_out_at; the campaign completes then only when `complete`
   * (none of its sends is held by quiet hours), else it stays running until they go (complete()).
   */
  async advance(
    id: string,
    batch: BatchProgress & { complete: boolean },
    tx: Tx,
  ): Promise<CampaignRow> {
    const { cursor, done, sent, suppressed, complete } = batch;
    const updated = (await tx.query(
      `UPDATE campaigns SET cursor = $2, batches_done = batches_done + 1,
              recipients_count = recipients_count + $3, sent_count = sent_count + $4, suppressed_count = suppressed_count + $5,
              fanned_out_at = CASE WHEN $6 THEN now() ELSE fanned_out_at END,
              status = CASE WHEN $6 AND $7 THEN 'completed' ELSE 'running' END,
              completed_at = CASE WHEN $6 AND $7 THEN now() ELSE completed_at END, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, cursor, sent + suppressed, sent, suppressed, done, complete],
    )) as [Row[], number];
    return campaign(updated[0][0]);
  }

  /** The campaign's held sends: how many, and the latest send time among them. */
  async held(id: string, tx?: Tx): Promise<HeldSends> {
    const rows = (await (tx ?? this.db).query(
      `SELECT count(*)::int AS n, max(m.send_at) AS latest
       FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
       WHERE r.campaign_id = $1 AND r.status = 'sent' AND ${HELD_SQL}`,
      [id],
    )) as Row[];
    const r = rows[0];
    return {
      count: Number(r?.n ?? 0),
      latest: r?.latest ? new Date(r.latest as string) : null,
    };
  }

  /**
   * Completes a running campaign whose fan-out is done and which holds no send any more; null
   * when it is not such a campaign (paused, cancelled, completed, still fanning out, or held).
   */
  async complete(id: string, tx: Tx): Promise<CampaignRow | null> {
    const rows = (await tx.query(
      `UPDATE campaigns SET status = 'completed', completed_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'running' AND fanned_out_at IS NOT NULL AND NOT EXISTS (${HELD_OF_CAMPAIGN})
       RETURNING *`,
      [id],
    )) as [Row[], number];
    return rows[0][0] ? campaign(rows[0][0]) : null;
  }

  /**
   * Cancels the campaign's sends still held for later (their send time not yet come, or held by
   * a pause): status `suppressed`, metadata.cancelled = 'campaign'; the send job and the
   * fallback check skip them. Those whose time has come are left to go (their send may be under way).
   */
  async cancelHeld(id: string): Promise<number> {
    const res = (await this.db.query(
      `UPDATE messages m SET status = 'suppressed', metadata = m.metadata || '{"cancelled":"campaign"}'::jsonb, updated_at = now()
       FROM campaign_recipients r
       WHERE r.campaign_id = $1 AND r.status = 'sent' AND m.id = r.message_id AND ${HELD_SQL}
         AND (m.send_at > now() OR m.metadata ? 'heldByPause')`,
      [id],
    )) as [unknown, number];
    return res[1];
  }

  /** How many customers a segment addresses now. */
  async audienceSize(segment: Segment): Promise<number> {
    const seg = segmentSql(segment);
    const rows = (await this.db.query(
      `SELECT count(*)::int AS n FROM customers c LEFT JOIN rfm_scores r ON r.customer_id = c.id WHERE ${seg.where}`,
      seg.params,
    )) as Row[];
    return (rows[0]?.n as number | undefined) ?? 0;
  }
}

/** A campaigns row as the record the hub passes around (columns as node-postgres reads them). */
function campaign(r: Row): CampaignRow {
  return {
    id: r.id as string,
    name: r.name as string,
    segment: r.segment as CampaignRow['segment'],
    topic: r.topic as string,
    purpose: r.purpose as CampaignRow['purpose'],
    urgency: r.urgency as CampaignRow['urgency'],
    template: r.template as string,
    variants: r.variants as CampaignRow['variants'],
    data: r.data as Record<string, unknown>,
    send_at: r.send_at as Date | null,
    rate_per_second: r.rate_per_second as number | null,
    batch_size: r.batch_size as number,
    status: r.status as CampaignStatus,
    generation: r.generation as number,
    cursor: r.cursor as string | null,
    batches_done: r.batches_done as number,
    recipients_count: r.recipients_count as number,
    sent_count: r.sent_count as number,
    suppressed_count: r.suppressed_count as number,
    created_by: r.created_by as string | null,
    launched_at: r.launched_at as Date | null,
    completed_at: r.completed_at as Date | null,
    fanned_out_at: (r.fanned_out_at as Date | null) ?? null,
    kind: (r.kind as CampaignRow['kind'] | undefined) ?? 'standard',
    legal_basis: (r.legal_basis as string | null) ?? null,
    confirmed_by: (r.confirmed_by as string | null) ?? null,
    confirmed_at: (r.confirmed_at as Date | null) ?? null,
    created_at: r.created_at as Date,
    updated_at: r.updated_at as Date,
  };
}
