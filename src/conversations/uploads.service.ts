import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { StoredAttachmentsRepository, type Upload } from './stored-attachments.repository';
import { cleanFilename, sniffUploadType } from './upload-type';

/** A file no reply carried within a day of its upload is deleted. */
export const PENDING_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/** Agents' uploads for replies: checked, stored pending, dropped when never sent. */
@Injectable()
export class UploadsService {
  constructor(
    private readonly attachments: StoredAttachmentsRepository,
    private readonly queue: JobQueueService,
    private readonly config: AppConfig,
  ) {}

  async upload(userId: string, filename: unknown, bytes: Buffer | undefined): Promise<Upload> {
    if (typeof filename !== 'string' || !filename.trim())
      throw new DomainError('bad_request', 'filename: required (?filename=report.pdf)');
    if (!bytes || bytes.length === 0)
      throw new DomainError(
        'bad_request',
        "body: send the file's bytes (Content-Type: application/octet-stream)",
      );
    const max = this.config.env.ATTACHMENT_MAX_BYTES;
    if (bytes.length > max)
      throw new DomainError(
        'payload_too_large',
        `file: ${bytes.length} bytes is more than the ${max}-byte limit (ATTACHMENT_MAX_BYTES)`,
      );
    const name = cleanFilename(filename);
    const contentType = sniffUploadType(bytes, name);
    if (!contentType)
      throw new DomainError(
        'unsupported_media_type',
        `file: ${name} is not a type replies carry (images, PDF, Office documents, zip, plain text)`,
      );
    const upload = await this.attachments.insertUpload(userId, {
      filename: name,
      contentType,
      content: bytes,
    });
    await this.queue.enqueue({
      queue: 'timers',
      name: 'upload.expire',
      payload: { attachmentId: upload.id },
      dedupeKey: `upload-expire:${upload.id}`,
      runAt: new Date(Date.now() + PENDING_UPLOAD_TTL_MS),
    });
    return upload;
  }

  @JobHandler('timers', 'upload.expire')
  async expire(payload: Record<string, unknown>): Promise<void> {
    await this.attachments.deletePending(String(payload.attachmentId));
  }
}
