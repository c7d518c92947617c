/** JSON over node:http with one keep-alive agent (fetch costs milliseconds per call here). */
import http from 'http';

export interface JsonClient {
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): void;
}

export function jsonClient(baseUrl: string, token?: string): JsonClient {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  return {
    request<T>(method: string, path: string, body?: unknown) {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise<{ status: number; body: T }>((resolve, reject) => {
        const req = http.request(
          {
            agent,
            host: base.hostname,
            port: base.port,
            method,
            path,
            headers: {
              accept: 'application/json',
              ...(token ? { authorization: `Bearer ${token}` } : {}),
              ...(payload
                ? { 'content-type': 'application/json', 'content-length': payload.length }
                : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              try {
                resolve({
                  status: res.statusCode ?? 0,
                  body: (text ? JSON.parse(text) : null) as T,
                });
              } catch {
                resolve({ status: res.statusCode ?? 0, body: text as T });
              }
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
