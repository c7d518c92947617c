import { readdirSync, readFileSync } from 'fs';
import { diff } from 'jest-diff';
import { join } from 'path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import {
  SCHEMA_SNAPSHOT_FILE,
  createScratchDatabase,
  describeSchema,
  withoutComments,
} from '../../src/database/schema-snapshot';
import { PG_ADMIN_URL, usePostgres } from '../support/services';

/**
 * The committed snapshot (src/database/schema.snapshot.sql) is the schema in code: a freshly
 * migrated database must match it, and every migration's down() must undo its up().
 *
 * Needs the real PostgreSQL the snapshot was generated on: PGlite is another server version, whose
 * catalog prints some definitions differently.
 */
const MIGRATIONS_DIR = join(__dirname, '../../src/database/migrations');
const migrationFiles = readdirSync(MIGRATIONS_DIR)
  .filter((f) => /\.(ts|js)$/.test(f))
  .sort()
  .map((f) => join(MIGRATIONS_DIR, f));

const describeIf = usePostgres() ? describe : describe.skip;

/** A data source that knows the first `count` migrations only. */
function migrationsSource(url: string, count: number): DataSource {
  return new DataSource({
    ...dataSourceOptions(url, { poolSize: 1 }),
    migrations: migrationFiles.slice(0, count),
    entities: [],
  });
}

function mismatch(title: string, expected: string, actual: string, advice: string): Error {
  const d = diff(expected, actual, {
    aAnnotation: 'expected',
    bAnnotation: 'actual',
    contextLines: 3,
    expand: false,
  });
  return new Error(`${title}\n\n${d}\n\n${advice}`);
}

describeIf('schema drift', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let db: Client;
  /** The schema after the first k migrations, k = 0..n, built one migration at a time. */
  const steps: string[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(PG_ADMIN_URL, 'hub_drift');
    db = new Client({ connectionString: scratch.url });
    await db.connect();
    steps.push(await describeSchema(db));
    for (let k = 1; k <= migrationFiles.length; k++) {
      const ds = migrationsSource(scratch.url, k);
      await ds.initialize();
      try {
        const ran = await ds.runMigrations({ transaction: 'each' });
        expect(ran).toHaveLength(1);
      } finally {
        await ds.destroy();
      }
      steps.push(await describeSchema(db));
    }
  });
  afterAll(async () => {
    await db?.end();
    await scratch?.drop();
  });

  it('the migrations build the schema of src/database/schema.snapshot.sql', () => {
    const committed = withoutComments(readFileSync(SCHEMA_SNAPSHOT_FILE, 'utf8'));
    const migrated = withoutComments(steps[steps.length - 1]);
    if (migrated !== committed) {
      throw mismatch(
        'The migrations and src/database/schema.snapshot.sql disagree ' +
          '(- committed snapshot, + freshly migrated database):',
        committed,
        migrated,
        'If the migration is right, run `npm run schema:snapshot` and review the diff of ' +
          'src/database/schema.snapshot.sql before committing it with the migration.',
      );
    }
  });

  it("each migration's down() undoes its up(), back to an empty schema", async () => {
    // Extensions are created IF NOT EXISTS and may predate the hub: down() leaves them.
    const noExt = async () => describeSchema(db, { extensions: false });
    const before = steps.map((text) =>
      text
        .split('\n\n')
        .filter((section) => !section.startsWith('extension '))
        .join('\n\n'),
    );
    const ds = migrationsSource(scratch.url, migrationFiles.length);
    await ds.initialize();
    try {
      for (let k = migrationFiles.length; k >= 1; k--) {
        await ds.undoLastMigration({ transaction: 'each' });
        const reverted = await noExt();
        if (reverted !== before[k - 1]) {
          const file = migrationFiles[k - 1].slice(MIGRATIONS_DIR.length + 1);
          throw mismatch(
            `${file}: down() does not undo up() (- schema before up(), + schema after down()):`,
            before[k - 1],
            reverted,
            `Fix down() in src/database/migrations/${file}.`,
          );
        }
      }
    } finally {
      await ds.destroy();
    }
    const left = await db.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
    );
    expect(left.rows).toEqual([]);
    expect(await noExt()).toBe('');
  });
});
