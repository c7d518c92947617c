import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import type { Channel, DeliveryStatus } from '../common/names';
import { preparedQuery } from '../common/prepared-query';
import type { Tx } from '../database/transactions';
import type { AttemptEnd } from './message-delivery.repository';

type Row = Record<string, unknown>;

/** A send about to call its provider: written `sending` first (committed). */
export interface AttemptStart {
  messageId: string;
  attemptNo: number;
  channel: Channel;
  address: string;
}

/** The attempt a status callback names, locked. */
export interface LockedAttempt {
  id: string;
  messageId: string;
  status: DeliveryStatus;
}

/** One attempt of a message, as GET /messages/:id lists it. */
export interface AttemptRecord {
  channel: string;
  status: string;
  error: string | null;
  errorClass: string | null;
  errorCode: string | null;
  createdAt: Date;
}

function attemptRecord(r: Row): AttemptRecord {
  return {
    channel: r.channel as string,
    status: r.status as string,
    error: (r.error as string | null) ?? null,
    errorClass: (r.error_class as string | null) ?? null,
    errorCode: (r.error_code as string | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

/** Every provider call of a send: begun in flight, ended, matched by status callbacks. */
@Injectable()
export class DeliveryAttemptsRepository {
  private readonly starts = new Coalescer((items: AttemptStart[]) => this.beginAll(items));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Marks a send in flight before its provider call: its attempt, `sending`, committed (one
   * statement for concurrent sends). Answers the attempt's id.
   */
  begin(start: AttemptStart): Promise<string> {
    return this.starts.submit(start);
  }

  /** Ends an attempt whose message is not settled yet (a transient failure the job retries). */
  async end(end: AttemptEnd): Promise<void> {
    await this.db.query(
      `UPDATE delivery_attempts SET status = $2, error_class = $3, error_code = $4, error = $5, updated_at = now()
       WHERE id = $1`,
      [end.id, end.status, end.errorClass ?? null, end.errorCode ?? null, end.error ?? null],
    );
  }

  /** Of these provider ids, those no attempt of the channel carries yet. */
  async unrecorded(channel: Channel, providerIds: string[]): Promise<string[]> {
    if (providerIds.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT provider_message_id FROM delivery_attempts WHERE channel = $1 AND provider_message_id = ANY($2::text[])`,
      [channel, providerIds],
    )) as Array<{ provider_message_id: string }>;
    const taken = new Set(rows.map((r) => r.provider_message_id));
    return providerIds.filter((id) => !taken.has(id));
  }

  /** The attempt carrying this provider id, locked until `tx` ends; null when none does (yet). */
  async lockByProviderId(
    channel: Channel,
    providerMessageId: string,
    tx: Tx,
  ): Promise<LockedAttempt | null> {
    const rows = (await tx.query(
      `SELECT id, message_id, status FROM delivery_attempts WHERE channel = $1 AND provider_message_id = $2 FOR UPDATE`,
      [channel, providerMessageId],
    )) as Row[];
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id as string,
      messageId: r.message_id as string,
      status: r.status as DeliveryStatus,
    };
  }

  /** A status callback's status; its error code, when it reports one, replaces the attempt's. */
  async setStatus(
    attemptId: string,
    status: DeliveryStatus,
    errorCode: string | null,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `UPDATE delivery_attempts SET status = $2, error_code = COALESCE($3, error_code), updated_at = now() WHERE id = $1`,
      [attemptId, status, errorCode],
    );
  }

  /** A message's attempts, first to last. */
  async ofMessage(messageId: string): Promise<AttemptRecord[]> {
    const rows = (await this.db.query(
      `SELECT channel, status, error, error_class, error_code, created_at FROM delivery_attempts WHERE message_id = $1 ORDER BY attempt_no`,
      [messageId],
    )) as Row[];
    return rows.map(attemptRecord);
  }

  private async beginAll(items: AttemptStart[]): Promise<string[]> {
    const rows = await preparedQuery<{ id: string; message_id: string }>(
      this.db,
      `INSERT INTO delivery_attempts (message_id, attempt_no, channel, address, status)
       SELECT x.message_id, x.attempt_no, x.channel, x.address, 'sending'
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) AS x(message_id, attempt_no, channel, address)
       RETURNING id, message_id`,
      [
        items.map((i) => i.messageId),
        items.map((i) => i.attemptNo),
        items.map((i) => i.channel),
        items.map((i) => i.address),
      ],
    );
    // A message has one send job, and a job one runner: its id is unique in the batch.
    const byMessage = new Map(rows.map((r) => [r.message_id, r.id]));
    return items.map((i) => byMessage.get(i.messageId)!);
  }
}
