import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/transactions';
import type { CampaignRow, CampaignStatus } from './campaign-types';
import type { CreateCampaign } from './campaign.dto';
import { segmentSql, type Segment } from './segment';

type Row = Record<string, unknown>;

/** A campaign a starting worker re-armed with a new chain generation. */
export interface RearmedCampaign {
  id: string;
  generation: number;
  batchesDone: number;
  status: CampaignStatus;
  sendAt: Date | null;
}

/** What a written batch adds to its campaign. */
export interface BatchProgress {
  /** The last customer taken (the keyset cursor). */
  cursor: string | null;
  sent: number;
  suppressed: number;
  /** No customer of the segment follows: the campaign completes. */
  done: boolean;
}

/** What else a status change records. */
export interface StatusChange {
  /** Stamps launched_at. */
  launched?: boolean;
  /** Starts a new chain generation (the old chain's jobs stand down). */
  newGeneration?: boolean;
}

/** Campaigns: their definition, lifecycle and the fan-out's cursor and counters. */
@Injectable()
export class CampaignsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(body: CreateCampaign, batchSize: number, createdBy: string | null) {
    const rows = (await this.db.query(
      `INSERT INTO campaigns (name, segment, topic, purpose, urgency, template, variants, data, send_at, rate_per_second, batch_size, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
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
      (change.newGeneration ? 'generation = generation + 1,' : '');
    const res = (await this.db.query(
      `UPDATE campaigns SET status = $2, ${extra} updated_at = now() WHERE id = $1 AND status = ANY($3::text[]) RETURNING *`,
      [id, to, from],
    )) as [Row[], number];
    return res[0][0] ? campaign(res[0][0]) : null;
  }

  /** Every running or scheduled campaign, with a new chain generation. */
  async rearmActive(): Promise<RearmedCampaign[]> {
    const rows = (await this.db.query(
      `UPDATE campaigns SET generation = generation + 1, updated_at = now() WHERE status IN ('running', 'scheduled')
       RETURNING id, generation, batches_done, status, send_at`,
    )) as [Row[], number];
    return rows[0].map((r) => ({
      id: r.id as string,
      generation: r.generation as number,
      batchesDone: r.batches_done as number,
      status: r.status as CampaignStatus,
      sendAt: (r.send_at as Date | null) ?? null,
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

  /** Advances the cursor and the counters past a written batch, in the batch's transaction. */
  async advance(id: string, batch: BatchProgress, tx: Tx): Promise<CampaignRow> {
    const { cursor, done, sent, suppressed } = batch;
    const updated = (await tx.query(
      `UPDATE campaigns SET cursor = $2, batches_done = batches_done + 1,
              recipients_count = recipients_count + $3, sent_count = sent_count + $4, suppressed_count = suppressed_count + $5,
              status = CASE WHEN $6 THEN 'completed' ELSE 'running' END,
              completed_at = CASE WHEN $6 THEN now() ELSE completed_at END, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, cursor, sent + suppressed, sent, suppressed, done],
    )) as [Row[], number];
    return campaign(updated[0][0]);
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
    created_at: r.created_at as Date,
    updated_at: r.updated_at as Date,
  };
}
