import { firstHeader, refuseOrigin, type OriginRules } from '../../../src/realtime/origin-policy';

const UNSET: OriginRules = {
  publicOrigin: 'https://hub.example.com',
  allowed: undefined,
  openWhenUnset: ['/chat'],
};
const LISTED: OriginRules = { ...UNSET, allowed: ['https://shop.example.com'] };

describe(refuseOrigin.name, () => {
  it.each([
    // [rules, namespace, origin, host, allowed?]
    [UNSET, '/agents', undefined, 'hub.example.com', true],
    [UNSET, '/agents', '', 'hub.example.com', true],
    [UNSET, '/agents', 'https://hub.example.com', 'internal:3000', true],
    [UNSET, '/agents', 'https://HUB.example.com', 'internal:3000', true],
    [UNSET, '/agents', 'http://127.0.0.1:4321', '127.0.0.1:4321', true],
    [UNSET, '/agents', 'http://127.0.0.1:4321', '127.0.0.1:9999', false],
    [UNSET, '/agents', 'https://evil.example', 'hub.example.com', false],
    [UNSET, '/agents', 'https://hub.example.com.evil.example', 'hub.example.com', false],
    [UNSET, '/agents', 'null', 'hub.example.com', false],
    [UNSET, '/agents', 'file://', 'hub.example.com', false],
    [UNSET, '/chat', 'https://evil.example', 'hub.example.com', true],
    [UNSET, '/chat', 'null', 'hub.example.com', true],
    [LISTED, '/chat', 'https://shop.example.com', 'hub.example.com', true],
    [LISTED, '/chat', 'https://evil.example', 'hub.example.com', false],
    [LISTED, '/chat', 'null', 'hub.example.com', false],
    [LISTED, '/chat', 'https://hub.example.com', 'hub.example.com', true],
    [LISTED, '/agents', 'https://shop.example.com', 'hub.example.com', true],
    [LISTED, '/agents', 'https://evil.example', 'hub.example.com', false],
    [LISTED, '/agents', 'http://shop.example.com', 'hub.example.com', false],
  ] as const)('%#: %s %s from %s (Host %s) -> %s', (rules, namespace, origin, host, ok) => {
    const why = refuseOrigin({ namespace, origin, host }, rules);
    if (ok) expect(why).toBeNull();
    else expect(why).toBe(`origin ${origin} is not allowed on ${namespace} (ALLOWED_ORIGINS)`);
  });

  it('reads the first value of a repeated or comma-joined header', () => {
    expect(firstHeader(['a.example, b.example', 'c'])).toBe('a.example');
    expect(firstHeader('a.example')).toBe('a.example');
    expect(firstHeader(undefined)).toBeUndefined();
    expect(firstHeader('')).toBeUndefined();
  });
});
