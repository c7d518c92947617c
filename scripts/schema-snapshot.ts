/**
 * npm run schema:snapshot: runs every migration on a new, empty database and writes what they
 * built to src/database/schema.snapshot.sql (the schema in code; review its diff with the
 * migration). The server: SCHEMA_PG_URL, else postgres://postgres@127.0.0.1:5432/postgres; the
 * role needs CREATEDB. The database is dropped afterwards.
 */
import { writeFileSync } from 'fs';
import { relative } from 'path';
import {
  SCHEMA_SNAPSHOT_FILE,
  describeMigratedSchema,
  snapshotFileText,
} from '../src/database/schema-snapshot';

async function main(): Promise<void> {
  const adminUrl = process.env.SCHEMA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const description = await describeMigratedSchema(adminUrl);
  writeFileSync(SCHEMA_SNAPSHOT_FILE, snapshotFileText(description));
  process.stdout.write(`wrote ${relative(process.cwd(), SCHEMA_SNAPSHOT_FILE)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`schema:snapshot failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
