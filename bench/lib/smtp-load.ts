/** Mails over SMTP from a worker thread (smtp-load.worker.ts), as http-load.ts posts requests. */
import { loadThread, type Load } from './http-load';
import type { SmtpLoadSpec } from './smtp-load.worker';

/** Starts the thread and hands it the mails; the clock should start after this resolves. */
export function prepareSmtpLoad(spec: SmtpLoadSpec): Promise<Load> {
  return loadThread('smtp-load.worker.ts', spec);
}
