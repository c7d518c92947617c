import { DomainError } from '../common/errors/domain-error';

/** Keyset cursor over (sort time, id), opaque to clients. */
export interface ListCursor {
  at: string;
  id: string;
}

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(`${c.at}|${c.id}`, 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Only what encodeCursor wrote: an ISO instant that round-trips and a UUID, else 400. */
export function decodeCursor(raw: string): ListCursor {
  const parts = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const [at, id] = parts;
  if (
    parts.length !== 2 ||
    !ISO_INSTANT.test(at) ||
    at.startsWith('0000') ||
    Number.isNaN(Date.parse(at)) ||
    new Date(at).toISOString() !== at ||
    !UUID.test(id)
  ) {
    throw new DomainError('bad_request', 'cursor: not a cursor this API returned');
  }
  return { at, id };
}

/** `%q%` for ILIKE with the pattern characters of q escaped. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
