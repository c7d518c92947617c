import { isInternalAddress, webhookUrlProblem } from '../../../src/webhooks/webhook-url';

describe('Where a webhook may point', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('calls %s internal', (ip) => expect(isInternalAddress(ip)).toBe(true));

  it.each(['8.8.8.8', '203.0.113.9', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    'calls %s public',
    (ip) => expect(isInternalAddress(ip)).toBe(false),
  );

  it.each([
    ['http://127.0.0.1:5432/', /private network \(127\.0\.0\.1\)/],
    ['http://[::1]/x', /private network \(::1\)/],
    ['http://169.254.169.254/latest/meta-data', /private network/],
    ['http://localhost:6379/', /localhost is an address of a private network/],
    ['http://[::ffff:7f00:1]/', /private network/],
  ])('refuses %s unless private addresses are allowed', async (url, message) => {
    expect(await webhookUrlProblem(url, false)).toMatch(message);
    expect(await webhookUrlProblem(url, true)).toBeNull();
  });

  it('allows a public address', async () => {
    expect(await webhookUrlProblem('https://8.8.8.8/hook', false)).toBeNull();
  });
});
