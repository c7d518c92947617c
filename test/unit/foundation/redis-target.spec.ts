import { clusterSlot } from '../../support/cluster-slot';
import { AppConfig, ConfigError } from '../../../src/config/app-config';
import { redisKeyPrefix, redisTarget } from '../../../src/queue/redis-options';

const env = (vars: Record<string, string>) => AppConfig.load(vars).env;

describe(redisTarget.name, () => {
  it('is absent without REDIS_URL and REDIS_SENTINELS (the in-process queue)', () => {
    expect(redisTarget(env({}))).toBeUndefined();
    expect(AppConfig.load({}).inProcessQueue).toBe(true);
  });

  it('connects to REDIS_URL with its credentials and database', () => {
    const t = redisTarget(env({ REDIS_URL: 'rediss://u:p%40ss@cache:6380/2' }))!;
    expect(t.endpoint).toBe('cache:6380');
    expect(t.options).toMatchObject({
      host: 'cache',
      port: 6380,
      username: 'u',
      password: 'p@ss',
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
  });

  it('asks the Sentinels for the master, taking only credentials and database from REDIS_URL', () => {
    const config = AppConfig.load({
      REDIS_SENTINELS: 's1:26379, s2:26380',
      REDIS_SENTINEL_NAME: 'hub-master',
      REDIS_URL: 'redis://:secret@ignored:6379/3',
    });
    expect(config.inProcessQueue).toBe(false);
    const t = redisTarget(config.env)!;
    expect(t.options).toMatchObject({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'hub-master',
      password: 'secret',
      db: 3,
      maxRetriesPerRequest: null,
    });
    expect(t.options.host).toBeUndefined();
    expect(t.endpoint).toBe('sentinel master hub-master (s1:26379,s2:26380)');
    // A demoted master's refusal makes the client reconnect and resend.
    expect(t.options.reconnectOnError!(new Error('READONLY You cannot write'))).toBe(2);
    expect(t.options.reconnectOnError!(new Error('WRONGTYPE'))).toBe(false);
  });

  it('runs on Sentinels alone, the master named mymaster by default', () => {
    const config = AppConfig.load({ REDIS_SENTINELS: '10.0.0.5:26379' });
    expect(config.inProcessQueue).toBe(false);
    expect(redisTarget(config.env)!.options).toMatchObject({
      sentinels: [{ host: '10.0.0.5', port: 26379 }],
      name: 'mymaster',
    });
  });

  it('refuses malformed Sentinel lists and master names, naming the variable', () => {
    for (const [vars, name] of [
      [{ REDIS_SENTINELS: 's1' }, 'REDIS_SENTINELS'],
      [{ REDIS_SENTINELS: 's1:99999' }, 'REDIS_SENTINELS'],
      [{ REDIS_SENTINELS: ',' }, 'REDIS_SENTINELS'],
      [{ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'my master' }, 'REDIS_SENTINEL_NAME'],
    ] as const) {
      let error: ConfigError | undefined;
      try {
        AppConfig.load(vars);
      } catch (e) {
        error = e as ConfigError;
      }
      expect(error?.problems.join('\n')).toContain(name);
    }
  });
});

describe(redisKeyPrefix.name, () => {
  it('computes slots as Redis does (the helper the tests use)', () => {
    // Values of CLUSTER KEYSLOT on a Redis Cluster.
    expect(clusterSlot('foo')).toBe(12182);
    expect(clusterSlot('123456789')).toBe(12739);
    expect(clusterSlot('{user1000}.following')).toBe(clusterSlot('user1000'));
    expect(clusterSlot('foo{bar}{zap}')).toBe(clusterSlot('bar'));
    // An empty tag: the whole key is hashed.
    expect(clusterSlot('foo{}{bar}')).not.toBe(clusterSlot('bar'));
  });

  it('wraps QUEUE_PREFIX in a hash tag, so every key of the hub hashes to one cluster slot', () => {
    const p = redisKeyPrefix('hub');
    expect(p).toBe('{hub}');
    const keys = [`${p}:delivery:wait`, `${p}:delivery:1-1700000000000`, `${p}:rl:chat:ip`];
    expect(new Set(keys.map((k) => clusterSlot(k)))).toEqual(new Set([clusterSlot('hub')]));
  });
});
