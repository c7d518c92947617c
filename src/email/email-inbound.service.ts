import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { parseInboundEmail } from '../../channel-adapters/email';
import type { NormalizedInbound } from '../channels/channel-port';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { InboundService } from '../ingest/inbound.service';
import type { IngestResult } from '../ingest/ingest.service';

/**
 * One raw RFC 5322 message (SMTP receiver or webhook) onto the timeline. Resolves only once the
 * message is committed, so the SMTP receiver answers 250 only for mail that is safely stored.
 */
@Injectable()
export class EmailInboundService {
  constructor(
    private readonly inbound: InboundService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  get maxBytes(): number {
    return this.config.env.EMAIL_MAX_BYTES;
  }

  async receive(raw: Buffer): Promise<IngestResult> {
    if (raw.length > this.maxBytes) {
      throw new DomainError(
        'payload_too_large',
        `body: the message is ${raw.length} bytes, larger than EMAIL_MAX_BYTES (${this.maxBytes})`,
      );
    }
    checkShape(raw);
    let normalized: NormalizedInbound;
    try {
      normalized = await parseInboundEmail(raw, {
        maxAttachmentBytes: this.config.env.ATTACHMENT_MAX_BYTES,
      });
    } catch (e) {
      throw new DomainError('bad_request', `body: malformed MIME message: ${(e as Error).message}`);
    }
    if (!normalized.from || !normalized.from.includes('@')) {
      throw new DomainError('bad_request', 'body: malformed MIME message: no From address');
    }
    return this.inbound.receive(await this.onRecipientTimeline(normalized));
  }

  /** A bounce belongs on the timeline of the customer whose address bounced, not the mailer daemon's. */
  private async onRecipientTimeline(n: NormalizedInbound): Promise<NormalizedInbound> {
    const bounce = n.metadata?.bounce as { recipient?: string } | undefined;
    if (!bounce?.recipient) return n;
    const known = (await this.db.query(
      `SELECT 1 FROM customer_identities WHERE kind = 'email' AND address = $1`,
      [bounce.recipient.toLowerCase()],
    )) as unknown[];
    if (known.length === 0) return n;
    return { ...n, from: bounce.recipient, metadata: { ...n.metadata, reportedBy: n.from } };
  }
}

/** A message needs a header block ("Name: value" lines) before its body. */
function checkShape(raw: Buffer): void {
  if (raw.length === 0)
    throw new DomainError(
      'bad_request',
      'body: empty; expected a raw MIME message (message/rfc822)',
    );
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const firstLine = head.split(/\r?\n/, 1)[0];
  if (!/^[!-9;-~]+:/.test(firstLine)) {
    throw new DomainError(
      'bad_request',
      'body: malformed MIME message: it does not start with a header line (Name: value)',
    );
  }
}
