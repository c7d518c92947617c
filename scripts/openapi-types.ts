/**
 * npm run openapi:types: builds the OpenAPI document from the controllers (Nest's preview mode:
 * no database, no Redis, nothing listening) and writes the TypeScript types the web app's client
 * is checked against to web/src/api/schema.ts. `--check` fails instead when that file is stale.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'fs';
import { relative } from 'path';
import { OPENAPI_TYPES_FILE, openApiTypesText } from '../src/http/openapi-types';

async function main(): Promise<void> {
  const text = await openApiTypesText();
  const file = relative(process.cwd(), OPENAPI_TYPES_FILE);
  if (process.argv.includes('--check')) {
    const current = readFileSync(OPENAPI_TYPES_FILE, 'utf8');
    if (current !== text) {
      process.stderr.write(`${file} is stale: run npm run openapi:types\n`);
      process.exit(1);
    }
    process.stdout.write(`${file} is up to date\n`);
    return;
  }
  writeFileSync(OPENAPI_TYPES_FILE, text);
  process.stdout.write(`wrote ${file}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`openapi:types failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
