import { mkdirSync } from 'fs';
import { join, resolve } from 'path';
import { keepQuerySequencesTogether } from './pglite-wire-order';

export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * PGlite (PostgreSQL compiled to WASM) served over the Postgres wire protocol, so the app keeps
 * using the `pg` driver and the same migrations. `dataDir` undefined = in memory (tests).
 */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  // @ts-expect-error a subpath export, which this project's CommonJS module resolution cannot type
  const { pg_trgm } = (await import('@electric-sql/pglite/contrib/pg_trgm')) as { pg_trgm: never };
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  let dir: string | undefined;
  if (dataDir) {
    dir = resolve(dataDir, 'pglite');
    mkdirSync(join(dir, '..'), { recursive: true });
  }
  const db = await PGlite.create({ dataDir: dir, extensions: { pg_trgm } });
  // Connections are cheap here (one session serves them all); the app's pool, the CLI and a
  // DATABASE_URL pointed at this server with a full-size pool all fit.
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 100 });
  keepQuerySequencesTogether(server);
  await server.start();
  const [, port] = server.getServerConn().split(':');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    dataDir: dir ?? ':memory:',
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
