import {
  RedisConnectionLog,
  REDIS_RETRY_MAX_MS,
  redisRetryDelay,
} from '../../../src/queue/redis-options';

describe(RedisConnectionLog.name, () => {
  function setup() {
    const lines: string[] = [];
    let now = 0;
    const log = new RedisConnectionLog({ warn: (m: string) => void lines.push(m) }, () => now);
    return { lines, log, advance: (ms: number) => (now += ms) };
  }
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
    code: 'ECONNREFUSED',
  });

  it('writes one line per attempt however many clients retry, with the last connection error', () => {
    const { lines, log, advance } = setup();
    for (let attempt = 1; attempt <= 3; attempt++) {
      for (let client = 0; client < 5; client++) {
        log.error('h:6379', refused);
        log.retrying('h:6379', attempt, redisRetryDelay(attempt));
      }
      advance(redisRetryDelay(attempt));
    }
    expect(lines).toEqual([
      'Redis h:6379 unreachable (connect ECONNREFUSED 127.0.0.1:6379): attempt 1, next in 250 ms',
      'Redis h:6379 unreachable (connect ECONNREFUSED 127.0.0.1:6379): attempt 2, next in 500 ms',
      'Redis h:6379 unreachable (connect ECONNREFUSED 127.0.0.1:6379): attempt 3, next in 1000 ms',
    ]);
  });

  it('counts a later outage from 1 again, and keeps endpoints apart', () => {
    const { lines, log, advance } = setup();
    log.retrying('h:6379', 1, 250);
    log.retrying('h:6379', 2, 500);
    log.retrying('other:6379', 1, 250);
    advance(REDIS_RETRY_MAX_MS + 1001);
    log.retrying('h:6379', 1, 250);
    expect(lines.map((l) => /^Redis (\S+) .*attempt (\d+)/.exec(l)!.slice(1).join(' '))).toEqual([
      'h:6379 1',
      'h:6379 2',
      'other:6379 1',
      'h:6379 1',
    ]);
  });

  it('logs an error that is not about the connection at once, without a stack', () => {
    const { lines, log } = setup();
    log.error('h:6379', new Error('ERR unknown command'));
    log.error('h:6379', refused);
    expect(lines).toEqual(['Redis h:6379: ERR unknown command']);
  });

  it('waits 250 ms doubling up to the longest wait', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(redisRetryDelay)).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });
});
