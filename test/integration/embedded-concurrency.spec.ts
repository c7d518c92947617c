import { Pool } from 'pg';
import { preparedQuery } from '../../src/common/prepared-query';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres';
import type { DataSource } from 'typeorm';

// The embedded default (PGlite behind its socket server) with several pool connections at once:
// extended-protocol queries must not interleave, and named prepared statements must not
// collide in its one shared session.
describe('embedded PostgreSQL under concurrent connections', () => {
  let pg: EmbeddedPostgres;
  let pool: Pool;

  beforeAll(async () => {
    pg = await startEmbeddedPostgres();
    pool = new Pool({ connectionString: pg.url, max: 4 });
  });

  afterAll(async () => {
    await pool.end();
    await pg.stop();
  });

  it('answers every parameterized query of four connections with its own result', async () => {
    const shapes = [
      (i: number) => pool.query('SELECT $1::int AS v', [i]),
      (i: number) => pool.query('SELECT $1::int + $2::int - $2::int AS v', [i, 7]),
      // Large parameters arrive over several socket reads, giving the others time to cut in.
      (i: number) =>
        pool.query('SELECT v FROM (SELECT $1::int AS v, $2::text AS a, $3::text AS b) x', [
          i,
          'a'.repeat(200_000),
          'b',
        ]),
    ];
    const results = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const r = await shapes[i % shapes.length](i);
        return Number((r.rows[0] as { v: number }).v);
      }),
    );
    expect(results).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('keeps a transaction of one connection apart from the others', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS t_concurrency (n int)');
    const inTx = (async () => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query('INSERT INTO t_concurrency VALUES ($1)', [1]);
        await c.query('ROLLBACK');
      } finally {
        c.release();
      }
    })();
    const outside = Promise.all(
      Array.from({ length: 20 }, (_, i) => pool.query('SELECT $1::int AS v', [i])),
    );
    await Promise.all([inTx, outside]);
    expect((await pool.query('SELECT count(*)::int AS n FROM t_concurrency')).rows[0].n).toBe(0);
  });

  it('runs a named prepared statement from every connection (parsed afresh where names collide)', async () => {
    const db = { driver: { master: pool } } as unknown as DataSource;
    const rows = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        preparedQuery<{ v: number }>(db, 'SELECT $1::int * 2 AS v', [i]),
      ),
    );
    expect(rows.map((r) => r[0].v)).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
  });
});
