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
    // PGlite runs one transaction at a time behind its socket; a small pool is plenty.
    extra: { max: opts.poolSize ?? (opts.embedded ? 4 : 20) },
    logging: false,
  } satisfies DataSourceOptions;
}
