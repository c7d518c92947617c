import { runHealthChecks } from '../../../src/health/health-checks';

describe(runHealthChecks.name, () => {
  it('bounds each check by its timeout: a hung part is down and named, the others still answer', async () => {
    const t0 = Date.now();
    const r = await runHealthChecks(
      {
        database: () => ({ status: 'up', mode: 'postgres' }),
        queue: () => new Promise(() => undefined),
        channels: async () => ({ status: 'degraded', note: 'scan' }),
      },
      100,
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.status).toBe('error');
    expect(r.message).toBe('queue: no answer within 100 ms');
    expect(r.error).toEqual({ queue: { status: 'down', message: 'no answer within 100 ms' } });
    expect(Object.keys(r.info)).toEqual(['database', 'channels']);
    expect(r.details.channels).toEqual({ status: 'degraded', note: 'scan' });
  });

  it('reads a check that throws (at once or later) as that part down, with its message', async () => {
    const r = await runHealthChecks({
      database: () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
      queue: () => Promise.reject(new Error('Connection is closed.')),
    });
    expect(r.message).toBe(
      'database: connect ECONNREFUSED 127.0.0.1:5432; queue: Connection is closed.',
    );
    expect(r.info).toEqual({});
  });

  it('is ok with every part up, and has no message', async () => {
    const r = await runHealthChecks({ database: () => ({ status: 'up' }) });
    expect(r).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
  });
});
