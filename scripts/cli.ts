/**
 * The hub's command line, booting the app context (no HTTP listener) from the environment:
 *   npm run cli -- import customers <file.csv>   streamed import with a progress bar and a report of rejected rows
 *   npm run cli -- campaign launch <id>           launches a campaign and shows its progress live until it ends
 * Environment as for the server (DATABASE_URL, REDIS_URL, ...). Exit code 0 on success, 1 on failure,
 * 2 when an import rejected rows.
 */
import { createReadStream, statSync } from 'fs';
import { SingleBar, Presets } from 'cli-progress';
import { bootstrap, type RunningHub } from '../src/bootstrap';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { CustomerImporter } from '../src/campaigns/customer-import';
import { ConsentService } from '../src/consent/consent.service';
import { CustomersService } from '../src/customers/customers.service';
import { IdentityOwnersRepository } from '../src/customers/identity-owners.repository';
import { DomainEvents } from '../src/events/domain-events';

const USAGE = 'usage: npm run cli -- import customers <file.csv> | campaign launch <campaign-id>';
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

async function main(argv: string[]): Promise<number> {
  const [area, verb, arg] = argv;
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
