import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** A stored attachment with its bytes, and the conversation of its message (for the scope check). */
export interface AttachmentDownload {
  filename: string;
  contentType: string;
  /** Null once erased (or never stored). */
  content: Buffer | null;
  conversationId: string | null;
}

/** The attachments table: reads for download. */
@Injectable()
export class StoredAttachmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async forDownload(id: string): Promise<AttachmentDownload | null> {
    const rows = (await this.db.query(
      `SELECT a.filename, a.content_type, a.content, m.conversation_id
       FROM attachments a LEFT JOIN messages m ON m.id = a.message_id WHERE a.id = $1`,
      [id],
    )) as Row[];
    return rows[0] ? attachmentDownload(rows[0]) : null;
  }
}

function attachmentDownload(r: Row): AttachmentDownload {
  return {
    filename: r.filename as string,
    contentType: r.content_type as string,
    content: (r.content as Buffer | null) ?? null,
    conversationId: (r.conversation_id as string | null) ?? null,
  };
}
