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

  it.each([
    ['rolled back', 'ROLLBACK', []],
    ['committed', 'COMMIT', [1, 2]],
  ])(
    'keeps a transaction of one connection apart from the others (%s)',
    async (_name, end, kept) => {
      const table = `t_concurrency_${end.toLowerCase()}`;
      await pool.query(`CREATE TABLE ${table} (n int)`);
      const c = await pool.connect();
      let outside: Promise<unknown>;
      try {
        await c.query('BEGIN');
        await c.query(`INSERT INTO ${table} VALUES ($1)`, [1]);
        // Autocommitted writes of the other connections, sent while the transaction is open: in
        // the one shared session they must not land inside it (and vanish with its rollback).
        outside = Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            pool.query(`INSERT INTO ${table} VALUES ($1)`, [100 + i]),
          ),
        );
        await c.query(`INSERT INTO ${table} VALUES ($1)`, [2]);
        await c.query(end);
      } finally {
        c.release();
      }
      await outside;
      const rows = await pool.query<{ n: number }>(`SELECT n FROM ${table} ORDER BY n`);
      expect(rows.rows.map((r) => r.n)).toEqual([
        ...kept,
        ...Array.from({ length: 20 }, (_, i) => 100 + i),
      ]);
    },
  );

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
