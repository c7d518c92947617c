import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACT_PATHS, redactText } from './redact';

/** The hub's pino logger, on stdout unless given another destination (a test's capture). */
export function createPino(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hub' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) =>
            typeof a === 'string' ? redactText(a) : a,
          ) as Parameters<typeof method>;
          return method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}

/**
 * Nest's own start-up chatter (a line per module and per route, ~150 lines) drowns the hub's
 * progress lines at the default level: it goes to debug.
 */
const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

/** Nest's logger interface on top of pino: one JSON line per entry, with its context. */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    rest: unknown[],
  ) {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ context, ...(message as object) });
    } else {
      const trace = level === 'error' && typeof rest[0] === 'string' ? rest[0] : undefined;
      this.pino[level]({ context, ...(trace ? { trace } : {}) }, String(message));
    }
  }

  log(message: unknown, ...rest: unknown[]) {
    const context = rest[rest.length - 1];
    const chatter = typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context);
    this.write(chatter ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }
}
