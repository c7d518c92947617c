import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  parseInboundEmail,
  startsWithHeader,
  tidyRaw,
  type EmailEnvelope,
} from '../../channel-adapters/email';
import type { NormalizedInbound } from '../channels/channel-port';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { InboundService } from '../ingest/inbound.service';
import type { IngestResult } from '../ingest/ingest.service';
import { EmailReportsRepository } from './email-reports.repository';
import { reportSubjectOf } from './report-subject';

/**
 * One raw RFC 5322 message (SMTP receiver or webhook) onto the timeline. Resolves only once the
 * message is committed, so the SMTP receiver answers 250 only for mail that is safely stored.
 * Resolves null for a report (bounce, complaint, receipt) about an address no customer has:
 * there is nobody to put it on, and the reporting daemon is no customer.
 */
@Injectable()
export class EmailInboundService {
  private readonly log = new Logger('EmailInbound');

  constructor(
    private readonly inbound: InboundService,
    private readonly config: AppConfig,
    private readonly reports: EmailReportsRepository,
  ) {}

  get maxBytes(): number {
    return this.config.env.EMAIL_MAX_BYTES;
  }

  async receive(raw: Buffer, envelope?: EmailEnvelope): Promise<IngestResult | null> {
    if (raw.length > this.maxBytes) {
      throw new DomainError(
        'payload_too_large',
        `body: the message is ${raw.length} bytes, larger than EMAIL_MAX_BYTES (${this.maxBytes})`,
      );
    }
    checkShape(raw);
    const parsed = await parseInboundEmail(raw, {
      maxAttachmentBytes: this.config.env.ATTACHMENT_MAX_BYTES,
    });
    if (parsed.metadata?.parseError) {
      if (!parsed.from)
        throw new DomainError(
          'bad_request',
          `body: malformed MIME message: ${String(parsed.metadata.parseError)}`,
        );
      this.log.warn(
        `kept as raw text, the MIME reader failed: ${String(parsed.metadata.parseError)}`,
      );
    }
    const n = await this.attributed(withFingerprint(parsed, envelope), envelope);
    if (!n) return null;
    const result = await this.inbound.receive(n);
    if (result.created) return result;
    return this.storedOrRepeat(n, result);
  }

  /**
   * Deduplication is per sender and content: the same Message-ID with another fingerprint (a
   * second person forwarding or redirecting the mail, a sender reusing ids) is another message,
   * stored under the id plus its fingerprint; the same fingerprint is a repeat.
   */
  private async storedOrRepeat(n: NormalizedInbound, first: IngestResult): Promise<IngestResult> {
    const fingerprint = n.metadata?.fingerprint as string;
    const stored = first.message.metadata?.fingerprint;
    if (stored === undefined || stored === fingerprint) {
      this.log.log(`repeat of ${n.providerMessageId} from ${n.from}: already stored`);
      return first;
    }
    const again = await this.inbound.receive({
      ...n,
      providerMessageId: `${n.providerMessageId} ${fingerprint.slice(0, 24)}`,
      metadata: { ...n.metadata, messageIdShared: n.providerMessageId },
    });
    if (!again.created)
      this.log.log(`repeat of ${n.providerMessageId} from ${n.from}: already stored`);
    return again;
  }

  /**
   * Whose timeline the message belongs on: a bounce, complaint or receipt on the customer it is
   * about (never the daemon's: null when no customer has that address); other mail on its
   * sender's, falling back to the envelope sender when the From header names nobody.
   */
  private async attributed(
    n: NormalizedInbound,
    envelope: EmailEnvelope | undefined,
  ): Promise<NormalizedInbound | null> {
    const subject = reportSubjectOf(n);
    if (subject !== undefined) {
      const identity = subject ? await this.reports.identity(subject.address) : null;
      if (!identity || !subject) {
        this.log.log(
          `${subject?.kind ?? 'report'} from ${n.from || '<>'} about ${subject?.address ?? 'no address'}: no customer has it; not stored`,
        );
        return null;
      }
      return { ...n, from: subject.address, metadata: { ...n.metadata, reportedBy: n.from } };
    }
    if (n.from.includes('@')) return n;
    const fallback = envelope?.from?.toLowerCase();
    if (fallback?.includes('@'))
      return { ...n, from: fallback, metadata: { ...n.metadata, fromEnvelope: true } };
    throw new DomainError(
      'bad_request',
      'body: malformed MIME message: no From address (and no envelope sender to fall back to)',
    );
  }
}

/** What makes two copies of one Message-ID the same message: who sent it and what it says. */
function withFingerprint(
  n: NormalizedInbound,
  envelope: EmailEnvelope | undefined,
): NormalizedInbound {
  const meta = n.metadata ?? {};
  const hash = createHash('sha256');
  for (const part of [
    n.from,
    String(meta.resentFrom ?? ''),
    envelope?.from ?? '',
    n.subject ?? '',
    meta.sentAt instanceof Date ? meta.sentAt.toISOString() : String(meta.sentAt ?? ''),
    String(meta.originalText ?? n.text),
    ...(n.attachments ?? []).map((a) => `${a.filename}:${a.size}`),
  ])
    hash.update(part).update('\u0000');
  return { ...n, metadata: { ...meta, fingerprint: hash.digest('hex') } };
}

/**
 * A message needs a header block ("Name: value" lines) before its body; what mail systems put
 * before it (a BOM, blank lines, an mbox From line) and CR-only line ends are tolerated.
 */
function checkShape(raw: Buffer): void {
  if (raw.length === 0)
    throw new DomainError(
      'bad_request',
      'body: empty; expected a raw MIME message (message/rfc822)',
    );
  if (!startsWithHeader(tidyRaw(raw.subarray(0, 64 * 1024)).raw))
    throw new DomainError(
      'bad_request',
      'body: malformed MIME message: it does not start with a header line (Name: value)',
    );
}
