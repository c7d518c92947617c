import { DomainError } from '../common/errors/domain-error';

/** Keyset cursor over (sort time, id), opaque to clients. */
export interface ListCursor {
  at: string;
  id: string;
}

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(`${c.at}|${c.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(raw: string): ListCursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new DomainError('bad_request', 'cursor: not a cursor this API returned');
  }
  return { at, id };
}

/** `%q%` for ILIKE with the pattern characters of q escaped. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
