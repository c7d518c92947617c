import { DataSource } from 'typeorm';
import { preparedQuery, preparedQueryIn, probeSessions } from '../../src/common/prepared-query';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { usePostgres } from '../support/services';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

const TRIPLE = 'SELECT $1::int * 3 AS v';

/** Runs `count` transactions at once, each running TRIPLE twice through preparedQueryIn. */
async function concurrentTransactions(ds: DataSource, count: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      ds.transaction(async (m) => {
        const [a] = await preparedQueryIn<{ v: number }>(m, TRIPLE, [i]);
        const [b] = await preparedQueryIn<{ v: number }>(m, TRIPLE, [i + 1]);
        return b.v - a.v + i * 3;
      }),
    ),
  );
}

/** How many prepared statements of TRIPLE the connection `ds.query` runs on holds. */
async function preparedTriples(ds: DataSource): Promise<number> {
  const rows = (await ds.query(
    `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`,
    [TRIPLE],
  )) as Array<{ n: number }>;
  return rows[0].n;
}

/** A probed data source of `poolSize` connections on a database of this test's own. */
async function withDataSource(
  poolSize: number,
  fn: (ds: DataSource) => Promise<void>,
  named = true,
) {
  const db: TestDatabase = await createTestDatabase();
  const ds = new DataSource({ ...dataSourceOptions(db.url, { poolSize }), entities: [] });
  await ds.initialize();
  try {
    await probeSessions(ds, named);
    await fn(ds);
  } finally {
    await ds.destroy();
    await db.drop();
  }
}

describe('prepared statements inside transactions', () => {
  it('names the statement on the transaction’s own connection where each connection has its own session', async () => {
    await withDataSource(4, async (ds) => {
      expect(await concurrentTransactions(ds, 12)).toEqual(
        Array.from({ length: 12 }, (_, i) => i * 3 + 3),
      );
      const prepared = await ds.transaction(async (m) => {
        await preparedQueryIn(m, TRIPLE, [1]);
        return (await m.query(
          `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`,
          [TRIPLE],
        )) as Array<{ n: number }>;
      });
      // PostgreSQL keeps it per connection; the embedded fallback (no PostgreSQL here) runs it unnamed.
      expect(prepared[0].n).toBe(usePostgres() ? 1 : 0);
    });
  });

  it('prepares afresh when a migration changed the columns a prepared statement returns', async () => {
    // One connection, so each call meets the statement the previous one prepared.
    await withDataSource(1, async (ds) => {
      await ds.query(`CREATE TABLE t_stale (a int)`);
      await ds.query(`INSERT INTO t_stale VALUES (1)`);
      const read = 'SELECT * FROM t_stale';
      expect(await preparedQuery(ds, read, [])).toEqual([{ a: 1 }]);
      await ds.query(`ALTER TABLE t_stale ADD COLUMN b int DEFAULT 7`);
      // Outside a transaction nothing ran, so the call is simply made again under a new name.
      expect(await preparedQuery(ds, read, [])).toEqual([{ a: 1, b: 7 }]);

      const inTransaction = () => ds.transaction((m) => preparedQueryIn(m, read, []));
      expect(await inTransaction()).toEqual([{ a: 1, b: 7 }]);
      await ds.query(`ALTER TABLE t_stale ADD COLUMN c int DEFAULT 8`);
      if (usePostgres()) {
        // Inside one, the refusal aborted the transaction: that caller fails, the next does not.
        await expect(inTransaction()).rejects.toThrow(/cached plan must not change result type/);
      }
      expect(await inTransaction()).toEqual([{ a: 1, b: 7, c: 8 }]);
    });
  });

  it('names nothing when told not to (DATABASE_PREPARED_STATEMENTS=false)', async () => {
    await withDataSource(
      1,
      async (ds) => {
        expect(await preparedQuery(ds, TRIPLE, [2])).toEqual([{ v: 6 }]);
        expect(await ds.transaction((m) => preparedQueryIn(m, TRIPLE, [3]))).toEqual([{ v: 9 }]);
        expect(await preparedTriples(ds)).toBe(0);
      },
      false,
    );
  });

  it('goes on unnamed when a prepared statement vanished from the connection, as behind a transaction pooler', async () => {
    // One connection: DEALLOCATE ALL drops what the pg client believes that connection holds,
    // which is what a pooler handing the next call another server connection looks like.
    await withDataSource(1, async (ds) => {
      expect(await preparedQuery(ds, TRIPLE, [2])).toEqual([{ v: 6 }]);
      expect(await preparedTriples(ds)).toBe(usePostgres() ? 1 : 0);
      await ds.query('DEALLOCATE ALL');
      // Outside a transaction only the Bind failed, so the call is made again unnamed.
      expect(await preparedQuery(ds, TRIPLE, [3])).toEqual([{ v: 9 }]);
      expect(await preparedQuery(ds, TRIPLE, [4])).toEqual([{ v: 12 }]);
      expect(await preparedTriples(ds)).toBe(0);
    });
    await withDataSource(1, async (ds) => {
      const inTransaction = (v: number) => ds.transaction((m) => preparedQueryIn(m, TRIPLE, [v]));
      expect(await inTransaction(2)).toEqual([{ v: 6 }]);
      await ds.query('DEALLOCATE ALL');
      if (usePostgres()) {
        // Inside one, the refusal aborted the transaction: that caller fails, the next does not.
        await expect(inTransaction(3)).rejects.toThrow(/prepared statement .* does not exist/);
      }
      expect(await inTransaction(4)).toEqual([{ v: 12 }]);
      expect(await preparedTriples(ds)).toBe(0);
    });
  });

  describe('on the embedded database, whose connections share one session', () => {
    let pg: EmbeddedPostgres;
    let ds: DataSource;

    beforeAll(async () => {
      pg = await startEmbeddedPostgres();
      ds = new DataSource({
        ...dataSourceOptions(pg.url, { embedded: true, poolSize: 4 }),
        entities: [],
      });
      await ds.initialize();
      await probeSessions(ds);
    });
    afterAll(async () => {
      await ds.destroy();
      await pg.stop();
    });

    it('runs the statement unnamed, so concurrent transactions never collide on a name', async () => {
      // A name prepared by one transaction would exist for the next, whose Parse would fail and
      // abort it.
      expect(await concurrentTransactions(ds, 12)).toEqual(
        Array.from({ length: 12 }, (_, i) => i * 3 + 3),
      );
      const left = (await ds.query(
        `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`,
        [TRIPLE],
      )) as Array<{ n: number }>;
      expect(left[0].n).toBe(0);
    });
  });
});
