import pino from 'pino';
import { createPino } from './common/logging/pino-logger';
import { AppConfig, ConfigError } from './config/app-config';
import { DataDirInUseError } from './database/embedded-postgres';
import { readyBanner } from './ready-banner';

async function main(): Promise<void> {
  // Validated and logging before the app's modules load (seconds on their own): the first line
  // comes within the first second, and a bad variable is reported at once.
  const config = AppConfig.load(process.env);
  const stdout = pino.destination({ dest: 1, sync: false });
  const log = createPino(config.env.LOG_LEVEL, stdout);
  log.info(
    { context: 'Hub' },
    `Starting the hub (role ${config.env.PROCESS_ROLE}): loading its modules…`,
  );
  const { bootstrap } = await import('./bootstrap');
  const hub = await bootstrap(process.env, { pino: log });
  // Through the log's own (asynchronous) stream, so it comes out after every line logged so far.
  stdout.write(readyBanner({ url: hub.url, admin: hub.admin }));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirInUseError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`the hub could not start: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
