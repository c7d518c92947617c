import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import type { AppConfig } from '../../../src/config/app-config';
import { HealthDetailsBehindToken, OperationsAccess } from '../../../src/metrics/operations-access';

const access = (token?: string) =>
  new OperationsAccess({ env: { METRICS_TOKEN: token } } as unknown as AppConfig);
const request = (authorization?: string, token?: string) => ({
  headers: authorization ? { authorization } : {},
  query: token === undefined ? {} : { token },
});

describe(OperationsAccess.name, () => {
  it('grants everyone while METRICS_TOKEN is unset', () => {
    expect(access().granted(request())).toBe(true);
  });

  it('grants the token as a bearer (any case of the scheme) or in the query, nothing else', () => {
    const a = access('metrics-token-0123456789');
    expect(a.granted(request('Bearer metrics-token-0123456789'))).toBe(true);
    expect(a.granted(request('bearer metrics-token-0123456789'))).toBe(true);
    expect(a.granted(request(undefined, 'metrics-token-0123456789'))).toBe(true);
    expect(a.granted(request())).toBe(false);
    expect(a.granted(request('Bearer metrics-token-012345678'))).toBe(false);
    expect(a.granted(request('Basic metrics-token-0123456789'))).toBe(false);
    expect(a.granted(request('Bearer '))).toBe(false);
    expect(a.granted(request(undefined, ''))).toBe(false);
  });
});

describe(HealthDetailsBehindToken.name, () => {
  const down = {
    statusCode: 503,
    status: 'error',
    message: 'queue: connect ECONNREFUSED 10.0.0.7:6379',
    info: { database: { status: 'up' } },
    error: { queue: { status: 'down', message: 'connect ECONNREFUSED 10.0.0.7:6379' } },
    details: {},
  };
  const run = (token: string | undefined, authorization?: string) => {
    const ctx = {
      switchToHttp: () => ({ getRequest: () => request(authorization) }),
    } as unknown as ExecutionContext;
    const next: CallHandler = { handle: () => of(down) };
    return lastValueFrom(new HealthDetailsBehindToken(access(token)).intercept(ctx, next));
  };

  it('keeps a 503 report to its code and status without the token', async () => {
    await expect(run('metrics-token-0123456789')).resolves.toEqual({
      statusCode: 503,
      status: 'error',
    });
  });

  it('passes the whole report with the token, or when no token is configured', async () => {
    await expect(run('metrics-token-0123456789', 'Bearer metrics-token-0123456789')).resolves.toBe(
      down,
    );
    await expect(run(undefined)).resolves.toBe(down);
  });
});
