/**
 * An SMTP client's thread (see smtp-load.ts): sends the given raw mails through nodemailer's
 * pooled transport, `inFlight` connections each with one mail outstanding, and answers with the
 * first refusal, if any. Beside the hub as a sending MTA would be, not on the hub's event loop.
 */
import { createTransport } from 'nodemailer';
import { parentPort, workerData } from 'worker_threads';
import type { LoadResult } from './http-load.worker';

export interface SmtpLoadSpec {
  host: string;
  port: number;
  inFlight: number;
  mails: Array<{ from: string; to: string; raw: string }>;
}

const spec = workerData as SmtpLoadSpec;

async function run(): Promise<LoadResult> {
  const transport = createTransport({
    host: spec.host,
    port: spec.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: spec.inFlight,
    maxMessages: Infinity,
  });
  const elu = performance.eventLoopUtilization();
  let next = 0;
  let error: string | null = null;
  await Promise.all(
    Array.from({ length: spec.inFlight }, async () => {
      while (next < spec.mails.length && error === null) {
        const mail = spec.mails[next++];
        try {
          const info = await transport.sendMail({
            envelope: { from: mail.from, to: mail.to },
            raw: mail.raw,
          });
          if (!/^250/.test(info.response)) error = `SMTP: ${info.response}`;
        } catch (e) {
          error = `SMTP: ${(e as Error).message}`;
        }
      }
    }),
  );
  const busyMs = performance.eventLoopUtilization(elu).active;
  transport.close();
  return error === null ? { ok: true, busyMs } : { ok: false, error };
}

parentPort!.once('message', () => {
  run().then(
    (result) => parentPort!.postMessage(result),
    (e: Error) => parentPort!.postMessage({ ok: false, error: e.stack ?? e.message }),
  );
});
parentPort!.postMessage('ready');
