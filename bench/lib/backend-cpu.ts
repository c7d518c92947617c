import { readFileSync } from 'fs';
import type { Client } from 'pg';

/**
 * CPU ms used so far by the PostgreSQL backends serving the client's database, the client's own
 * backend excepted (Linux /proc, 10 ms ticks; benchmarks' debug figures only).
 */
export async function backendsCpuMs(pg: Client): Promise<number> {
  const { rows } = await pg.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the backend ended meanwhile
    }
  }
  return ticks * 10;
}
