import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RenderedOutbound } from './channel-port';
import { Coalescer } from '../common/coalescer';
import { preparedQuery } from '../common/prepared-query';

/** What a sandbox transport sent, with the id it answered. */
export type SandboxSent = RenderedOutbound & { providerMessageId: string };

/** A send as GET /api/v1/sandbox/outbox lists it. */
export interface SandboxSend {
  id: string;
  channel: string;
  to: string;
  from: string | null;
  subject: string | null;
  text: string;
  html: string | null;
  messageId: string | null;
  providerMessageId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** The sandbox outbox: what sandbox transports sent, newest first. */
@Injectable()
export class SandboxSendsRepository {
  /** Sends recorded concurrently are written as one multi-row INSERT. */
  private readonly writes = new Coalescer((sent: SandboxSent[]) => this.insertAll(sent));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  record(sent: SandboxSent): Promise<void> {
    return this.writes.submit(sent);
  }

  async list(filter: { channel?: string; to?: string; limit: number }): Promise<SandboxSend[]> {
    // The columns are aliased to the record's names.
    return (await this.db.query(
      `SELECT id, channel, to_address AS "to", from_address AS "from", subject, text, html, message_id AS "messageId",
              provider_message_id AS "providerMessageId", payload, created_at AS "createdAt"
       FROM sandbox_outbox WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR to_address = $2)
       ORDER BY seq DESC LIMIT $3`,
      [filter.channel ?? null, filter.to ?? null, filter.limit],
    )) as SandboxSend[];
  }

  private async insertAll(sent: SandboxSent[]): Promise<void[]> {
    await preparedQuery(
      this.db,
      `INSERT INTO sandbox_outbox (channel, to_address, from_address, subject, text, html, message_id, provider_message_id, payload)
       SELECT channel, to_address, from_address, subject, text, html, message_id, provider_message_id, payload::jsonb
       FROM json_to_recordset($1::json)
         AS s(channel text, to_address text, from_address text, subject text, text text, html text,
              message_id uuid, provider_message_id text, payload text)`,
      [
        JSON.stringify(
          sent.map((s) => ({
            channel: s.channel,
            to_address: s.to,
            from_address: s.from ?? null,
            subject: s.subject ?? null,
            text: s.text,
            html: s.html ?? null,
            message_id: s.messageId,
            provider_message_id: s.providerMessageId,
            payload: {
              headers: s.headers ?? {},
              metadata: s.metadata ?? {},
              locale: s.locale ?? null,
              attachments: (s.attachments ?? []).map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                size: a.size,
              })),
            },
          })),
        ),
      ],
    );
    return sent.map(() => undefined);
  }
}
