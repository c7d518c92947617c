import { DomainError } from '../common/errors/domain-error';

/** SQLSTATE classes and codes that pass: connection, resources, shutdown, serialization, locks. */
const TEMPORARY_SQLSTATE = /^(?:08|53|57|58)|^(?:40001|40P01|55P03|55006)$/;
const TEMPORARY_NODE_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * The SMTP reply for a message that could not be stored. 4xx (the sender keeps it and retries)
 * only for conditions that pass: the database or queue unreachable, a lock or serialization
 * conflict, a timeout. Anything about the message itself will not change on a retry: 5xx, so
 * the sender is told at once instead of retrying for days.
 */
export function smtpCodeFor(error: unknown): number {
  if (error instanceof DomainError) {
    if (error.code === 'payload_too_large') return 552;
    if (error.code === 'unavailable') return 451;
    return 550;
  }
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (TEMPORARY_SQLSTATE.test(code) || TEMPORARY_NODE_ERRORS.has(code)) return 451;
  if (typeof e?.message === 'string' && /timeout|terminat|connection/i.test(e.message)) return 451;
  return 554;
}
