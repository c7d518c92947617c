/**
 * What every bench boots the hub with: the default log level (info, as in production), its
 * lines written to /dev/null (BENCH_LOG_FILE to keep them) so the report stays readable; the
 * formatting, redaction and write are still paid.
 */
import pino, { type DestinationStream } from 'pino';

export function benchLogDestination(): DestinationStream {
  return pino.destination({ dest: process.env.BENCH_LOG_FILE ?? '/dev/null', sync: true });
}
