/**
 * The soak's faults, one after another with load in between: kill -9 of the worker and of an
 * API process (each started again at once), of the Redis master (Sentinel promotes the replica;
 * the old master comes back as its replica) and of PgBouncer (started again at once). A fault
 * has recovered when the component is back and every hub process answers /health again.
 */
import type { Cluster } from './cluster';
import { waitFor } from './daemon';
import { healthy, killHub, startHub, type HubProcess } from './hub-processes';

export type FaultKind = 'worker' | 'api' | 'redis-master' | 'pgbouncer';

export interface FaultResult {
  kind: FaultKind;
  /** From the kill until every process answers /health again; null when it did not recover. */
  recoveredMs: number | null;
  detail?: string;
}

export const FAULTS: FaultKind[] = ['worker', 'api', 'redis-master', 'pgbouncer'];
const RECOVERY_TIMEOUT_MS = 180_000;

export async function injectFault(
  kind: FaultKind,
  cluster: Cluster,
  hubs: HubProcess[],
  log: (line: string) => void,
): Promise<FaultResult> {
  const killedAt = Date.now();
  let detail: string | undefined;
  try {
    switch (kind) {
      case 'worker':
      case 'api': {
        const hub = hubs.find((h) => h.role === (kind === 'worker' ? 'worker' : 'api'))!;
        log(`fault: kill -9 ${hub.name} (${hub.role})`);
        await killHub(hub);
        await startHub(hub, RECOVERY_TIMEOUT_MS);
        detail = hub.name;
        break;
      }
      case 'redis-master': {
        log('fault: kill -9 the Redis master');
        const { from, to } = await cluster.failRedisMaster();
        detail = `master ${from} -> ${to}`;
        break;
      }
      case 'pgbouncer': {
        log('fault: kill -9 PgBouncer');
        await cluster.bouncer.kill9();
        await cluster.bouncer.start();
        await cluster.bouncerReady(RECOVERY_TIMEOUT_MS);
        break;
      }
    }
    await waitFor(
      async () => (await Promise.all(hubs.map(healthy))).every(Boolean),
      'every hub process to answer /health',
      RECOVERY_TIMEOUT_MS,
      200,
    );
    const recoveredMs = Date.now() - killedAt;
    log(`fault ${kind}: recovered in ${recoveredMs} ms`);
    return { kind, recoveredMs, detail };
  } catch (e) {
    log(`fault ${kind}: not recovered: ${(e as Error).message}`);
    return { kind, recoveredMs: null, detail: (e as Error).message };
  }
}
