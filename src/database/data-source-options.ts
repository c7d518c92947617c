import { join } from 'path';
import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const MIGRATIONS_GLOB = join(__dirname, 'migrations', '*.{ts,js}');

/** One place that says how the hub talks to PostgreSQL, for the app, the CLI, tests and benches. */
export function dataSourceOptions(
  url: string,
  opts: { embedded?: boolean; poolSize?: number } = {},
) {
  return {
    type: 'postgres',
    url,
    namingStrategy: new SnakeNamingStrategy(),
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: {
      // PGlite runs one transaction at a time behind its socket; a small pool is plenty.
      max: opts.poolSize ?? (opts.embedded ? 4 : 20),
      // No JIT, for any statement: it compiles a statement whose estimated cost is high, and
      // estimates over tables that grow fast (messages during a campaign, between two ANALYZEs)
      // make that cost look high for short statements (the campaign loader: 320 ms per 1,000
      // customers with JIT, 22 ms without; the batch writes on side connections alike). PGlite
      // has no JIT.
      ...(opts.embedded ? {} : { options: '-c jit=off' }),
    },
    logging: false,
  } satisfies DataSourceOptions;
}
