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
  /** Who uploaded it, while no message carries it yet (a pending reply upload). */
  pendingUploader: string | null;
}

/** A file an agent uploaded, waiting for the reply that carries it. */
export interface Upload {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

/** The attachments table: reads for download, and agents' uploads. */
@Injectable()
export class StoredAttachmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async forDownload(id: string): Promise<AttachmentDownload | null> {
    const rows = (await this.db.query(
      `SELECT a.filename, a.content_type, a.content, m.conversation_id,
              CASE WHEN a.message_id IS NULL THEN a.uploaded_by END AS pending_uploader
       FROM attachments a LEFT JOIN messages m ON m.id = a.message_id WHERE a.id = $1`,
      [id],
    )) as Row[];
    return rows[0] ? attachmentDownload(rows[0]) : null;
  }

  async insertUpload(
    userId: string,
    file: { filename: string; contentType: string; content: Buffer },
  ): Promise<Upload> {
    const [r] = (await this.db.query(
      `INSERT INTO attachments (message_id, filename, content_type, size, content, uploaded_by)
       VALUES (NULL, $1, $2, $3, $4, $5) RETURNING id, filename, content_type, size`,
      [file.filename, file.contentType, file.content.length, file.content, userId],
    )) as Row[];
    const id = r.id as string;
    return {
      id,
      filename: r.filename as string,
      contentType: r.content_type as string,
      size: Number(r.size),
      url: `/api/v1/attachments/${id}`,
    };
  }

  /** Drops an upload no reply carried; a sent one stays with its message. */
  async deletePending(id: string): Promise<void> {
    await this.db.query(`DELETE FROM attachments WHERE id = $1 AND message_id IS NULL`, [id]);
  }
}

function attachmentDownload(r: Row): AttachmentDownload {
  return {
    filename: r.filename as string,
    contentType: r.content_type as string,
    content: (r.content as Buffer | null) ?? null,
    conversationId: (r.conversation_id as string | null) ?? null,
    pendingUploader: (r.pending_uploader as string | null) ?? null,
  };
}
