import http from 'http';
import type { AddressInfo } from 'net';
import { Writable } from 'stream';
import pino from 'pino';
import { requestLogging } from '../../../src/common/logging/request-logging';

/** A server answering each request with the id the middleware gave it; the log lines it wrote. */
async function serve(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const middleware = requestLogging(pino({ level }, sink));
  const server = http.createServer((req, res) =>
    middleware(req, res, () => {
      res.end((req as http.IncomingMessage & { id: string }).id);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<string>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, path, headers }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        })
        .on('error', reject),
    );
  return { lines, get, close: () => new Promise((r) => server.close(r)) };
}

describe('requestLogging', () => {
  it('logs each request at info with its id and path (never its query), and not health checks', async () => {
    const s = await serve('info');
    try {
      expect(await s.get('/api/v1/x?token=secret', { 'x-request-id': 'req-42' })).toBe('req-42');
      expect(await s.get('/health')).toMatch(/^[0-9a-f-]{36}$/);
      const logged = s.lines.filter((l) => l.req !== undefined);
      expect(logged).toHaveLength(1);
      expect(logged[0].req).toEqual({ id: 'req-42', method: 'GET', url: '/api/v1/x' });
      expect(JSON.stringify(logged[0])).not.toContain('secret');
    } finally {
      await s.close();
    }
  });

  it('still gives every request an id when request lines are not shown, and writes nothing', async () => {
    const s = await serve('warn');
    try {
      expect(await s.get('/api/v1/x', { 'x-request-id': 'req-43' })).toBe('req-43');
      const generated = await s.get('/api/v1/y');
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.lines).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
