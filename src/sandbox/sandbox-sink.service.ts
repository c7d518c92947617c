import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RenderedOutbound, SandboxSink } from '../channels/channel-port';

/** Persists what sandbox transports send, for GET /api/v1/sandbox/outbox. */
@Injectable()
export class SandboxSinkService implements SandboxSink {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(sent: RenderedOutbound & { providerMessageId: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO sandbox_outbox (channel, to_address, from_address, subject, text, html, message_id, provider_message_id, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        sent.channel,
        sent.to,
        sent.from ?? null,
        sent.subject ?? null,
        sent.text,
        sent.html ?? null,
        sent.messageId,
        sent.providerMessageId,
        JSON.stringify({
          headers: sent.headers ?? {},
          metadata: sent.metadata ?? {},
          locale: sent.locale ?? null,
          attachments: (sent.attachments ?? []).map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            size: a.size,
          })),
        }),
      ],
    );
  }

  async list(filter: { channel?: string; to?: string; limit: number }) {
    return (await this.db.query(
      `SELECT id, channel, to_address AS "to", from_address AS "from", subject, text, html, message_id AS "messageId",
              provider_message_id AS "providerMessageId", payload, created_at AS "createdAt"
       FROM sandbox_outbox WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR to_address = $2)
       ORDER BY seq DESC LIMIT $3`,
      [filter.channel ?? null, filter.to ?? null, filter.limit],
    )) as unknown[];
  }
}
