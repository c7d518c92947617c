import Fastify from 'fastify';
import { TRUSTED_PROXIES } from '../../../src/http/http-server';

/**
 * The address a login is throttled under: X-Forwarded-For counts only from a proxy on loopback
 * or a private network, and only the hops such proxies appended.
 */
describe('client address behind trusted proxies', () => {
  const app = Fastify({ trustProxy: TRUSTED_PROXIES });
  app.get('/ip', (req) => ({ ip: req.ip }));
  afterAll(() => app.close());

  const ip = async (remoteAddress: string, forwarded?: string) => {
    const res = await app.inject({
      method: 'GET',
      url: '/ip',
      remoteAddress,
      headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
    });
    return (res.json() as { ip: string }).ip;
  };

  it.each([
    [
      'a client on the internet cannot name its own address',
      '203.0.113.7',
      '198.51.100.1',
      '203.0.113.7',
    ],
    [
      'a proxy on loopback passes on the client it saw',
      '127.0.0.1',
      '198.51.100.1',
      '198.51.100.1',
    ],
    [
      'a private-network proxy: the hop it appended, not the client-sent ones',
      '10.0.0.5',
      '1.1.1.1, 198.51.100.2',
      '198.51.100.2',
    ],
    [
      'two private proxies in a row',
      '10.0.0.5',
      '1.1.1.1, 198.51.100.3, 192.168.1.9',
      '198.51.100.3',
    ],
    ['no header from a proxy: the proxy itself', '10.0.0.5', undefined, '10.0.0.5'],
  ])('%s', async (_what, peer, forwarded, expected) => {
    expect(await ip(peer, forwarded)).toBe(expected);
  });
});
