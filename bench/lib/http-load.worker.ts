/**
 * The load generator's thread (see http-load.ts): posts the bodies it is given with `inFlight`
 * requests outstanding and answers with the first refusal, if any. undici's pool: node:http's
 * client took ~0.5 ms of this thread per request, a machine's core shared with the server.
 * Bodies are sent as JSON, or as they are when already a string (a signed form, say) with the
 * given content type and each request's own headers.
 */
import { Pool } from 'undici';
import { parentPort, workerData } from 'worker_threads';

export interface LoadSpec {
  baseUrl: string;
  token?: string;
  path: string;
  /** Objects are sent as JSON; strings as they are, with `contentType`. */
  bodies: unknown[];
  /** Content type of string bodies (default application/json). */
  contentType?: string;
  /** Headers of each request (same index as its body), e.g. a webhook's signature. */
  headers?: Array<Record<string, string>>;
  inFlight: number;
  /** Status every answer must have. */
  expect: number;
}

export type LoadResult = { ok: true; busyMs: number } | { ok: false; error: string };

const spec = workerData as LoadSpec;
const pool = new Pool(spec.baseUrl, { connections: spec.inFlight });
const headers: Record<string, string> = {
  'content-type': 'application/json',
  accept: 'application/json',
  ...(spec.token ? { authorization: `Bearer ${spec.token}` } : {}),
};
const formHeaders: Record<string, string> = {
  ...headers,
  'content-type': spec.contentType ?? 'application/json',
  accept: '*/*',
};

async function run(): Promise<LoadResult> {
  const payloads = spec.bodies.map((b) => (typeof b === 'string' ? b : JSON.stringify(b)));
  const requestHeaders = spec.bodies.map((b, i) => {
    const base = typeof b === 'string' ? formHeaders : headers;
    const own = spec.headers?.[i];
    return own ? { ...base, ...own } : base;
  });
  const elu = performance.eventLoopUtilization();
  let next = 0;
  let error: string | null = null;
  await Promise.all(
    Array.from({ length: spec.inFlight }, async () => {
      while (next < payloads.length && error === null) {
        const i = next++;
        const r = await pool.request({
          method: 'POST',
          path: spec.path,
          headers: requestHeaders[i],
          body: payloads[i],
        });
        const text = await r.body.text();
        if (r.statusCode !== spec.expect) error = `${spec.path}: ${r.statusCode} ${text}`;
      }
    }),
  );
  // This thread's busy time: what the load generator itself took of the machine.
  const busyMs = performance.eventLoopUtilization(elu).active;
  await pool.close();
  return error === null ? { ok: true, busyMs } : { ok: false, error };
}

parentPort!.once('message', () => {
  run().then(
    (result) => parentPort!.postMessage(result),
    (e: Error) => parentPort!.postMessage({ ok: false, error: e.stack ?? e.message }),
  );
});
parentPort!.postMessage('ready');
