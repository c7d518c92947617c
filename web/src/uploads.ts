import type { AnswerOf } from './api/answers';
import { client, unwrap } from './api/client';
import type { Channel } from './types';

/** A file uploaded for the reply being written (POST /api/v1/attachments). */
export type Upload = AnswerOf<'/api/v1/attachments', 'post'>;

/** Channels that carry a reply's files (the server's CHANNELS_WITH_ATTACHMENTS). */
export const CHANNELS_WITH_ATTACHMENTS: readonly Channel[] = ['email'];

/** Sends the file's bytes; the server reads its type and answers 413/415 with a clear message. */
export function uploadFile(file: File): Promise<Upload> {
  return unwrap(
    client.POST('/api/v1/attachments', {
      params: { query: { filename: file.name } },
      // The file's bytes as they are: the body is not JSON.
      body: file as unknown as string,
      bodySerializer: (body) => body as unknown as BodyInit,
      headers: { 'Content-Type': 'application/octet-stream' },
    }),
  );
}

/** An e-mail inbox and its signature (GET /api/v1/email-inboxes). */
export type EmailInbox = AnswerOf<'/api/v1/email-inboxes', 'get'>['items'][number];

let inboxes: Promise<EmailInbox[]> | null = null;

/** The e-mail inboxes and their signatures, loaded once per page. */
export function emailInboxes(): Promise<EmailInbox[]> {
  inboxes ??= unwrap(client.GET('/api/v1/email-inboxes')).then(
    (r) => r.items,
    () => {
      inboxes = null;
      return [];
    },
  );
  return inboxes;
}
