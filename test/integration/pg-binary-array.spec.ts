import { Client } from 'pg';
import { textArray, timestamptzArray, uuidArray } from '../../src/common/pg-binary-array';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/** The binary arrays as PostgreSQL itself reads them (array_recv), on this file's own database. */
describe('binary array parameters', () => {
  let db: TestDatabase;
  let pg: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await db.drop();
  });

  it('carries text of every kind, NULLs and JSON to cast, element for element', async () => {
    const values = [
      'plain',
      '',
      null,
      `quotes " and ' and \\ backslash, {braces}, commas`,
      '中文 — emoji 📦 and combining é',
      '<p class="x">Hello &amp; welcome</p>\n\ttabs',
      '{"a":[1,2,{"b":"c"}]}',
    ];
    const r = await pg.query(
      `SELECT x, ord, x IS NULL AS is_null FROM unnest($1::text[]) WITH ORDINALITY AS u(x, ord) ORDER BY ord`,
      [textArray(values)],
    );
    expect(r.rows.map((row) => row.x)).toEqual(values);
    expect(r.rows[2].is_null).toBe(true);
    const json = await pg.query(`SELECT ($1::text[])[1]::jsonb AS j`, [
      textArray(['{"a":[1,2,{"b":"c"}]}']),
    ]);
    expect(json.rows[0].j).toEqual({ a: [1, 2, { b: 'c' }] });
  });

  it('carries UUIDs and instants to the millisecond, zipped by unnest', async () => {
    const ids = ['019ad1b2-3c4d-7e5f-8a6b-7c8d9e0f1a2b', '00000000-0000-0000-0000-000000000000'];
    const at = [new Date('2026-11-29T12:34:56.789Z'), null];
    const r = await pg.query(
      `SELECT id::text, at FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)`,
      [uuidArray(ids), timestamptzArray(at)],
    );
    expect(r.rows.map((row) => row.id)).toEqual(ids);
    expect((r.rows[0].at as Date).toISOString()).toBe('2026-11-29T12:34:56.789Z');
    expect(r.rows[1].at).toBeNull();
    const early = await pg.query(`SELECT ($1::timestamptz[])[1] AS at`, [
      timestamptzArray([new Date('1970-01-01T00:00:00.001Z')]),
    ]);
    expect((early.rows[0].at as Date).toISOString()).toBe('1970-01-01T00:00:00.001Z');
  });

  it('sends an empty array as one', async () => {
    const r = await pg.query(
      `SELECT cardinality($1::text[]) AS a, cardinality($2::uuid[]) AS b, count(*)::int AS n FROM unnest($1::text[])`,
      [textArray([]), uuidArray([])],
    );
    expect(r.rows[0]).toEqual({ a: 0, b: 0, n: 0 });
  });

  it('refuses what it cannot encode, and the server refuses a mismatched element type', async () => {
    expect(() => uuidArray(['not-a-uuid'])).toThrow(/not a UUID: not-a-uuid/);
    expect(() => timestamptzArray([new Date('nope')])).toThrow(/invalid date/);
    await expect(pg.query(`SELECT $1::uuid[] AS a`, [textArray(['x'])])).rejects.toThrow(
      /array element type 25 \(text\) instead of expected 2950 \(uuid\)/,
    );
    // A text cannot hold a NUL byte: refused by the server, as the JSON path refuses \u0000.
    await expect(pg.query(`SELECT $1::text[] AS a`, [textArray(['a\u0000b'])])).rejects.toThrow();
  });
});
