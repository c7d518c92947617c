/**
 * The hub's command line, booting the app context (no HTTP listener) from the environment:
 *   npm run cli -- import customers <file.csv>   streamed import with a progress bar and a report of rejected rows
 *   npm run cli -- campaign launch <id>           launches a campaign and shows its progress live until it ends
 *   npm run cli -- admin reset-password [--email <e>] [--password <p>]
 *                                                 sets a user's password (generated and printed once
 *                                                 when not given), ends the user's sessions
 * Environment as for the server (DATABASE_URL, REDIS_URL, ...). Exit code 0 on success, 1 on failure,
 * 2 when an import rejected rows.
 */
import { createReadStream, statSync } from 'fs';
import { SingleBar, Presets } from 'cli-progress';
import { hostname, userInfo } from 'os';
import { PasswordResetService } from '../src/auth/password-reset.service';
import { passwordProblem } from '../src/auth/password-policy';
import { bootstrap, type RunningHub } from '../src/bootstrap';
import { DomainError } from '../src/common/errors/domain-error';
import { AppConfig } from '../src/config/app-config';
import { embeddedServerOf } from '../src/database/embedded-postgres';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { CustomerImporter } from '../src/campaigns/customer-import';
import { ConsentService } from '../src/consent/consent.service';
import { CustomersService } from '../src/customers/customers.service';
import { IdentityOwnersRepository } from '../src/customers/identity-owners.repository';
import { DomainEvents } from '../src/events/domain-events';

const USAGE = [
  'usage: npm run cli -- import customers <file.csv>',
  '       npm run cli -- campaign launch <campaign-id>',
  '       npm run cli -- admin reset-password [--email <e-mail>] [--password <password>]',
].join('\n');
const out = (s: string) => process.stdout.write(`${s}\n`);

async function importCustomers(hub: RunningHub, file: string): Promise<number> {
  const size = statSync(file).size;
  const input = createReadStream(file);
  const bar = new SingleBar(
    {
      format:
        'import |{bar}| {percentage}% | {rows} rows, {imported} imported, {rejected} rejected',
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 200,
    },
    Presets.shades_classic,
  );
  bar.start(size, 0, { rows: 0, imported: 0, rejected: 0 });
  const importer = new CustomerImporter(
    hub.app.get(IdentityOwnersRepository),
    hub.app.get(CustomersService),
    hub.app.get(ConsentService),
  );
  const summary = await importer.run(
    input,
    (s) =>
      bar.update(input.bytesRead, {
        rows: s.rows,
        imported: s.imported,
        rejected: s.rejected.length,
      }),
    `csv-import:${file}`,
  );
  bar.update(size, {
    rows: summary.rows,
    imported: summary.imported,
    rejected: summary.rejected.length,
  });
  bar.stop();
  out(
    `imported ${summary.imported} of ${summary.rows} row(s); rejected ${summary.rejected.length}`,
  );
  for (const r of summary.rejected) out(`  line ${r.line}: ${r.reasons.join('; ')}`);
  out(
    JSON.stringify({ rows: summary.rows, imported: summary.imported, rejected: summary.rejected }),
  );
  return summary.rejected.length > 0 ? 2 : 0;
}

async function launchCampaign(hub: RunningHub, id: string): Promise<number> {
  const campaigns = hub.app.get(CampaignsService);
  const campaign = await campaigns.get(id);
  const { count } = await campaigns.previewCount(campaign.segment);
  const bar = new SingleBar(
    {
      format: `${campaign.name} |{bar}| {value}/{total} recipients | {sent} sent, {suppressed} suppressed | {status}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 200,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(count, 1), 0, { sent: 0, suppressed: 0, status: 'launching' });
  const launched = await campaigns.launch(id, null);
  let last = launched;
  // Progress from this process's batches as they commit, and from the table for batches other instances run.
  const off = hub.app.get(DomainEvents).on('campaign.progress', (e) => {
    if (e.campaignId === id)
      bar.update(e.recipients, { sent: e.sent, suppressed: e.suppressed, status: e.status });
  });
  while (!['completed', 'cancelled', 'paused'].includes(last.status)) {
    await new Promise((r) => setTimeout(r, 250));
    last = await campaigns.get(id);
    bar.update(last.progress.recipients, {
      sent: last.progress.sent,
      suppressed: last.progress.suppressed,
      status: last.status,
    });
  }
  off();
  bar.stop();
  out(
    `campaign ${id} ${last.status}: ${last.progress.recipients} recipients, ${last.progress.sent} sent, ${last.progress.suppressed} suppressed`,
  );
  return last.status === 'completed' ? 0 : 1;
}

/** `--name value` pairs; anything else is a usage error. */
function options(args: string[], known: string[]): Record<string, string> | null {
  const found: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '');
    if (!args[i]?.startsWith('--') || !known.includes(name) || args[i + 1] === undefined)
      return null;
    found[name] = args[i + 1];
  }
  return found;
}

/**
 * On the embedded default, the database is PGlite's files under DATA_DIR, which one process at
 * a time may open: when a hub is running on them, the reset goes through that hub's database
 * port (the hub writes it to DATA_DIR/embedded-server.json); otherwise this process opens them,
 * and a hub started meanwhile refuses to until this ends.
 */
async function resetPassword(opts: Record<string, string>): Promise<number> {
  const env: Record<string, string | undefined> = { ...process.env };
  const config = AppConfig.load(env);
  const email = (opts.email ?? config.adminEmail).trim().toLowerCase();
  // Checked again with the user's name once found; a weak password fails before the app boots.
  const weak = opts.password === undefined ? null : passwordProblem(opts.password, [email]);
  if (weak) {
    process.stderr.write(`${weak}\n`);
    return 1;
  }
  if (!env.DATABASE_URL) {
    const dataDir = config.env.DATA_DIR;
    const server = await embeddedServerOf(dataDir);
    if (server) {
      out(
        `The hub (process ${server.pid}) is running on the embedded database in ${dataDir}/: resetting through its database port.`,
      );
      env.DATABASE_URL = server.url;
    } else {
      out(`Opening the embedded database in ${dataDir}/ (no hub is running on it)…`);
    }
  }
  const hub = await bootstrap(
    { LOG_LEVEL: 'warn', START_SMTP_RECEIVER: 'false', ...env, PROCESS_ROLE: 'api' },
    { listen: false, ensureAdmin: false },
  );
  try {
    const done = await hub.app.get(PasswordResetService).reset({
      email,
      password: opts.password,
      actor: `cli ${userInfo().username}@${hostname()}`,
    });
    out(`Password of ${done.email} reset; every session of this user has ended.`);
    if (done.generatedPassword)
      out(`New password (shown only this once): ${done.generatedPassword}`);
    if (!done.active)
      out('Note: this user is deactivated; an admin must reactivate it before it can log in.');
    return 0;
  } catch (e) {
    if (e instanceof DomainError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await hub.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [area, verb, arg] = argv;
  if (area === 'admin' && verb === 'reset-password') {
    const opts = options(argv.slice(2), ['email', 'password']);
    if (opts) return resetPassword(opts);
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const known =
    (area === 'import' && verb === 'customers') || (area === 'campaign' && verb === 'launch');
  if (!known || !arg) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const hub = await bootstrap(
    { LOG_LEVEL: 'warn', START_SMTP_RECEIVER: 'false', ...process.env },
    { listen: false },
  );
  try {
    return area === 'import' ? await importCustomers(hub, arg) : await launchCampaign(hub, arg);
  } finally {
    await hub.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  },
);
