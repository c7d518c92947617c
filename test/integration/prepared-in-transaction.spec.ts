import { DataSource } from 'typeorm';
import { preparedQueryIn, probeSessions } from '../../src/common/prepared-query';
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

describe('prepared statements inside transactions', () => {
  it('names the statement on the transaction’s own connection where each connection has its own session', async () => {
    const db: TestDatabase = await createTestDatabase();
    const ds = new DataSource({ ...dataSourceOptions(db.url, { poolSize: 4 }), entities: [] });
    await ds.initialize();
    try {
      await probeSessions(ds);
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
    } finally {
      await ds.destroy();
      await db.drop();
    }
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
