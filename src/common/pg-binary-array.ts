/**
 * One-dimensional PostgreSQL arrays in the binary wire format (array_recv), for statements that
 * take a batch as parallel arrays (`unnest($1::uuid[], $2::text[], ...)`): node-postgres sends a
 * Buffer parameter as binary, which the server copies instead of parsing. A batch of rendered
 * messages sent as one JSON document cost PostgreSQL a fifth of its time in the JSON parser
 * (bench:campaign); text-format arrays are parsed character by character too.
 *
 * Layout: ndim, has-null flag, element type oid, then (length, lower bound) per dimension, then
 * each element as its byte length (-1 for NULL) and its bytes.
 */

const OID = { text: 25, uuid: 2950, timestamptz: 1184 } as const;
/** Milliseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
const PG_EPOCH_MS = 946_684_800_000;

function encode<T>(
  oid: number,
  values: ReadonlyArray<T | null | undefined>,
  size: (v: T) => number,
  write: (buf: Buffer, at: number, v: T) => void,
): Buffer {
  let total = values.length === 0 ? 12 : 20;
  let hasNull = 0;
  for (const v of values) {
    total += 4;
    if (v === null || v === undefined) hasNull = 1;
    else total += size(v);
  }
  const buf = Buffer.allocUnsafe(total);
  buf.writeInt32BE(values.length === 0 ? 0 : 1, 0);
  buf.writeInt32BE(hasNull, 4);
  buf.writeUInt32BE(oid, 8);
  if (values.length === 0) return buf;
  buf.writeInt32BE(values.length, 12);
  buf.writeInt32BE(1, 16);
  let at = 20;
  for (const v of values) {
    if (v === null || v === undefined) {
      buf.writeInt32BE(-1, at);
      at += 4;
      continue;
    }
    const n = size(v);
    buf.writeInt32BE(n, at);
    write(buf, at + 4, v);
    at += 4 + n;
  }
  return buf;
}

/** text[] (also for jsonb columns: cast the element, `x::jsonb`). */
export function textArray(values: ReadonlyArray<string | null | undefined>): Buffer {
  return encode(
    OID.text,
    values,
    (v) => Buffer.byteLength(v, 'utf8'),
    (buf, at, v) => void buf.write(v, at, 'utf8'),
  );
}

export function uuidArray(values: ReadonlyArray<string | null | undefined>): Buffer {
  return encode(
    OID.uuid,
    values,
    () => 16,
    (buf, at, v) => {
      const hex = v.replace(/-/g, '');
      if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`not a UUID: ${v}`);
      buf.write(hex, at, 'hex');
    },
  );
}

export function timestamptzArray(values: ReadonlyArray<Date | null | undefined>): Buffer {
  return encode(
    OID.timestamptz,
    values,
    () => 8,
    (buf, at, v) => {
      const ms = v.getTime();
      if (!Number.isFinite(ms)) throw new TypeError('invalid date');
      buf.writeBigInt64BE(BigInt(ms - PG_EPOCH_MS) * 1000n, at);
    },
  );
}
