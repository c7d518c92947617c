import { DomainError } from '../common/errors/domain-error';

/** The SQLSTATEs the hub reacts to by name (PostgreSQL appendix A). */
export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
  queryCanceled: '57014',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

/** Class 22 (data exception): a value PostgreSQL cannot take, what it means to a caller. */
const INPUT_SQLSTATES: Record<string, string> = {
  '22021': 'text contains a NUL character or invalid UTF-8',
  '22P05': 'text cannot be represented in the database encoding',
  '22003': 'a number is out of range',
  '22008': 'a date or time is out of range',
  '22007': 'a date or time is malformed',
  '22P02': 'a value is malformed for its type',
  '22001': 'a text is longer than its field allows',
};

interface DatabaseErrorShape {
  driverError?: { code?: unknown; constraint?: unknown };
  code?: unknown;
  severity?: unknown;
  constraint?: unknown;
}

/**
 * The SQLSTATE of an error raised by PostgreSQL, or undefined for any other error. TypeORM wraps
 * the driver's error (QueryFailedError.driverError); a statement run on the pool throws it bare.
 */
export function sqlStateOf(error: unknown): string | undefined {
  const e = error as DatabaseErrorShape | null | undefined;
  const code = e?.driverError?.code ?? (e?.severity ? e.code : undefined);
  return typeof code === 'string' ? code : undefined;
}

/** The constraint a violation names (e.g. a unique index), when PostgreSQL reported one. */
export function constraintOf(error: unknown): string | undefined {
  const e = error as DatabaseErrorShape | null | undefined;
  const c = e?.driverError?.constraint ?? e?.constraint;
  return typeof c === 'string' ? c : undefined;
}

/** A class 22 error (a value PostgreSQL cannot take) as the caller's bad request, else undefined. */
export function unstorableValue(error: unknown): DomainError | undefined {
  const state = sqlStateOf(error);
  return state !== undefined && state in INPUT_SQLSTATES
    ? new DomainError('bad_request', `a value cannot be stored: ${INPUT_SQLSTATES[state]}`)
    : undefined;
}

export const isSqlState = (error: unknown, code: string): boolean => sqlStateOf(error) === code;

export const isUniqueViolation = (error: unknown, constraint?: string): boolean =>
  isSqlState(error, SQLSTATE.uniqueViolation) &&
  (constraint === undefined || constraintOf(error) === constraint);
