/**
 * The load generator's thread (see http-load.ts): posts the bodies it is given with `inFlight`
 * requests outstanding and answers with the first refusal, if any.
 */
import { parentPort, workerData } from 'worker_threads';
import { jsonClient } from './http-json';

export interface LoadSpec {
  baseUrl: string;
  token?: string;
  path: string;
  bodies: unknown[];
  inFlight: number;
  /** Status every answer must have. */
  expect: number;
}

export type LoadResult = { ok: true } | { ok: false; error: string };

const spec = workerData as LoadSpec;
const client = jsonClient(spec.baseUrl, spec.token);

async function run(): Promise<LoadResult> {
  let next = 0;
  let error: string | null = null;
  await Promise.all(
    Array.from({ length: spec.inFlight }, async () => {
      while (next < spec.bodies.length && error === null) {
        const r = await client.request('POST', spec.path, spec.bodies[next++]);
        if (r.status !== spec.expect) error = `${spec.path}: ${r.status} ${JSON.stringify(r.body)}`;
      }
    }),
  );
  client.close();
  return error === null ? { ok: true } : { ok: false, error };
}

parentPort!.once('message', () => {
  run().then(
    (result) => parentPort!.postMessage(result),
    (e: Error) => parentPort!.postMessage({ ok: false, error: e.stack ?? e.message }),
  );
});
parentPort!.postMessage('ready');
