import { AppConfig, ConfigError } from '../../../src/config/app-config';
import { isConnectionError } from '../../../src/database/read-data-source';

describe('DATABASE_REPLICA_URL', () => {
  it('is read with DATABASE_URL, and refused without it or when not a PostgreSQL URL', () => {
    const c = AppConfig.load({
      DATABASE_URL: 'postgres://p@db/hub',
      DATABASE_REPLICA_URL: 'postgres://p@replica/hub',
    });
    expect(c.env.DATABASE_REPLICA_URL).toBe('postgres://p@replica/hub');
    for (const vars of [
      { DATABASE_REPLICA_URL: 'postgres://p@replica/hub' },
      { DATABASE_URL: 'postgres://p@db/hub', DATABASE_REPLICA_URL: 'mysql://replica/hub' },
    ]) {
      let error: ConfigError | undefined;
      try {
        AppConfig.load(vars);
      } catch (e) {
        error = e as ConfigError;
      }
      expect(error?.problems.join('\n')).toMatch(/^DATABASE_REPLICA_URL: /);
    }
  });
});

describe(isConnectionError.name, () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5433' }, true],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '08006', message: 'connection failure' }, true],
    [{ driverError: { code: '57P03' }, message: 'the database system is starting up' }, true],
    [new Error('Connection terminated unexpectedly'), true],
    [new Error('timeout exceeded when trying to connect'), true],
    [{ code: '42P01', message: 'relation "x" does not exist' }, false],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }, false],
  ])('%j -> %s', (e, expected) => {
    expect(isConnectionError(e)).toBe(expected);
  });
});
