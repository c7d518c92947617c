/**
 * POSTs from a worker thread: the load generator runs beside the server under test, as a real
 * client would, instead of on the server's own event loop (where its requests and answers cost
 * the server ~0.15 ms of its thread per request). Both still share this machine's cores.
 */
import { join } from 'path';
import { Worker } from 'worker_threads';
import type { LoadResult, LoadSpec } from './http-load.worker';

export interface Load {
  /** Posts every body; resolves when all are answered with the expected status, with the generator's busy milliseconds. */
  run(): Promise<number>;
}

/** Starts the thread and hands it the bodies; the clock should start after this resolves. */
export function prepareLoad(spec: LoadSpec): Promise<Load> {
  return loadThread('http-load.worker.ts', spec);
}

/** A load generator's thread running `file` (of this folder) on `spec`. */
export async function loadThread(file: string, spec: unknown): Promise<Load> {
  // The thread loads the TypeScript through the same require hook as this process (-r swc-register).
  const worker = new Worker(`require(${JSON.stringify(join(__dirname, file))})`, {
    eval: true,
    workerData: spec,
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await next(); // 'ready'
  return {
    async run() {
      const done = next();
      worker.postMessage('go');
      const result = (await done) as LoadResult;
      await worker.terminate();
      if (!result.ok) throw new Error(result.error);
      return result.busyMs;
    },
  };
}
