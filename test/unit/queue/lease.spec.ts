import { renewMs, stalledSweepMs } from '../../../src/queue/job-queue.service';
import { withLease } from '../../../src/queue/queue-names';
import { envSchema } from '../../../src/config/config.schema';
import { AppConfig, ConfigError } from '../../../src/config/app-config';

describe('job leases', () => {
  it.each([3, 15, 20, 30, 600])(
    'a lease of %i s is renewed well before it ends, and found lapsed within a quarter more',
    (lease) => {
      expect(renewMs(lease)).toBeLessThanOrEqual((lease * 1000) / 3);
      expect(stalledSweepMs(lease)).toBeLessThanOrEqual(Math.min(15_000, (lease * 1000) / 4));
      const [spec] = withLease([{ name: 'q', concurrency: 1 }], lease);
      // BullMQ: the lock is renewed every half of it, so a live worker never loses it; a dead
      // worker's job is back in the wait list within lockDuration + stalledInterval.
      expect(spec.lock!.lockDuration + spec.lock!.stalledInterval).toBeLessThanOrEqual(
        lease * 1000,
      );
    },
  );

  it('keeps the default lease within the 30 s a stalled job may wait', () => {
    const lease = envSchema.parse({}).JOB_LEASE_SECONDS;
    expect(lease * 1000 + stalledSweepMs(lease)).toBeLessThan(30_000);
  });

  it.each([
    ['1', 'at least 3 seconds'],
    ['2.5', 'whole number of seconds'],
    ['soon', 'JOB_LEASE_SECONDS'],
  ])('refuses JOB_LEASE_SECONDS=%s, naming it', (value, says) => {
    let error: ConfigError | undefined;
    try {
      AppConfig.load({ JOB_LEASE_SECONDS: value });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.join('\n')).toContain('JOB_LEASE_SECONDS');
    expect(error!.problems.join('\n')).toContain(says);
  });
});
