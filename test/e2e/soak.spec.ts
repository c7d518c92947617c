/**
 * CI's short soak (README: Soak test): the cluster of `npm run soak` (PgBouncer, a PostgreSQL
 * replica, Redis with Sentinel, three hub processes) under ~40 s of mixed load with all four
 * faults; nothing accepted may be lost or doubled. It runs Debian's packages, never installs
 * them: without pgbouncer (or PostgreSQL 15, redis-server) it fails saying what to install.
 */
import { missingPackages } from '../../bench/soak/cluster';
import { killAllNow } from '../../bench/soak/daemon';
import { FAULTS } from '../../bench/soak/faults';
import { runSoak, soakOptionsFromEnv } from '../../bench/soak/soak';

afterAll(() => killAllNow());

describe('the soak, short', () => {
  it('stores every accepted inbound once, sends every accepted message once, loses no job, through four kill -9s', async () => {
    const missing = missingPackages();
    if (missing)
      throw new Error(
        `the soak test starts PgBouncer, PostgreSQL and Redis from Debian's packages: ${missing} (CI's .ci/run installs them)`,
      );
    const lines: string[] = [];
    const result = await runSoak({
      ...soakOptionsFromEnv({
        SOAK_SECONDS: process.env.SOAK_SECONDS ?? '40',
        SOAK_RATE: '6',
        SOAK_CAMPAIGN_CUSTOMERS: '400',
        SOAK_DRAIN_SECONDS: '90',
        SOAK_JOB_LEASE_SECONDS: '6',
      }),
      // Apart from `npm run soak`'s default ports, so both can run at once.
      portBase: 58500,
      log: (line) => lines.push(line),
    });
    process.stdout.write(`[soak] ${JSON.stringify(result)}\n`);
    if (!result.ok) process.stdout.write(`${lines.join('\n')}\n`);
    expect(result.problems ?? []).toEqual([]);
    expect(result.faults.map((f) => f.kind)).toEqual(FAULTS);
    expect(result.inbound.accepted).toBeGreaterThan(0);
    expect(result.sends.accepted).toBeGreaterThan(result.campaign.sent);
    expect(result.campaign.status).toBe('completed');
    expect(result.ok).toBe(true);
  }, 280_000);
});
