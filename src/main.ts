import { bootstrap } from './bootstrap';
import { ConfigError } from './config/app-config';

async function main(): Promise<void> {
  const hub = await bootstrap(process.env);
  const c = hub.config;
  process.stdout.write(
    `\n  Omnichannel hub is up at ${hub.url}  (API docs ${hub.url}/docs, health ${hub.url}/health)\n` +
      `  Admin login: ${c.adminEmail}${c.adminPasswordGenerated ? ' (password printed when the account was created; set ADMIN_PASSWORD to choose one)' : ''}\n\n`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`the hub could not start: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
