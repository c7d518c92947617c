import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { connect } from 'net';
import { join, resolve } from 'path';
import { keepQuerySequencesTogether } from './pglite-wire-order';

export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The process serving a data directory, and where its database answers. */
export interface EmbeddedServer {
  pid: number;
  url: string;
}

/** Another live process serves the data directory (its database answers at `url`). */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, holder: EmbeddedServer) {
    super(
      `the embedded database in ${dataDir} is in use by process ${holder.pid} (a running hub or CLI command): stop it first, or reach that database with DATABASE_URL=${holder.url}`,
    );
    this.name = 'DataDirInUseError';
  }
}

/** Written while a process holds the data directory: PGlite's files take one process only. */
const serverFile = (dataDir: string) => resolve(dataDir, 'embedded-server.json');

/**
 * PGlite (PostgreSQL compiled to WASM) served over the Postgres wire protocol, so the app keeps
 * using the `pg` driver and the same migrations. `dataDir` undefined = in memory (tests).
 * A directory another live process serves is refused (two processes would corrupt it): the
 * error says where that process's database answers.
 */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  if (dataDir) {
    const holder = await embeddedServerOf(dataDir);
    if (holder) throw new DataDirInUseError(dataDir, holder);
  }
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
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const release = () => {
    if (dataDir) rmSync(serverFile(dataDir), { force: true });
  };
  if (dataDir) {
    writeFileSync(serverFile(dataDir), JSON.stringify({ pid: process.pid, url }));
    // Ctrl-C ends the process without stop(); a file left by kill -9 is told apart by its pid.
    process.once('exit', release);
  }
  return {
    url,
    dataDir: dir ?? ':memory:',
    async stop() {
      await server.stop();
      await db.close();
      release();
      process.off('exit', release);
    },
  };
}

/** The live process serving this data directory, if any (a file left by a dead one is ignored). */
export async function embeddedServerOf(dataDir: string): Promise<EmbeddedServer | null> {
  let held: EmbeddedServer;
  try {
    held = JSON.parse(readFileSync(serverFile(dataDir), 'utf8')) as EmbeddedServer;
  } catch (e) {
    // No file, or one torn by a crash mid-write: nobody holds the directory.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || e instanceof SyntaxError) return null;
    throw e;
  }
  if (!processAlive(held.pid)) return null;
  return (await answers(new URL(held.url))) ? held : null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the port accepts a connection (a reused pid does not serve PGlite there). */
function answers(url: URL): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(2000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
