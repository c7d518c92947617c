import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Readable } from 'stream';
import { toCsv } from '../analytics/csv';
import { CustomerImporter, type ImportSummary } from '../campaigns/customer-import';
import { notFound } from '../common/errors/domain-error';
import { ConsentService } from '../consent/consent.service';
import { CustomersService } from '../customers/customers.service';
import { IdentityOwnersRepository } from '../customers/identity-owners.repository';
import {
  CustomerImportsRepository,
  type CustomerImport,
  type StoredRejection,
} from './customer-imports.repository';
import { precheckCsv } from './csv-precheck';

/** A running import's heartbeat: written at least this often while it runs. */
export const IMPORT_HEARTBEAT_MS = 5_000;
/** A running import whose heartbeat is older than this has lost its process: interrupted. */
export const IMPORT_STALE_MS = 60_000;
/** Counts are written to the import record at most this often (and at the end). */
const PROGRESS_EVERY_MS = 200;
/** Rejected rows answered with the import (the download has them all). */
export const REJECTIONS_SHOWN = 200;

export const isDuplicate = (reasons: string[]) =>
  reasons.length > 0 && reasons.every((r) => r.startsWith('duplicate:'));

/**
 * Customer imports from the browser. The file is read once to refuse a bad one (400) and count
 * its rows, then imported in the background by the CLI's streaming importer; the record's
 * counts move as rows are processed. A process killed mid-import cannot finish the record: its
 * heartbeat goes stale and the record is marked 'interrupted' (on the next start, or when read),
 * with the rows processed so far. Customers created before that stay; uploading the same file
 * again skips them as duplicates, so an interrupted import is finished by importing it again.
 */
@Injectable()
export class CustomerImportsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('CustomerImports');
  private readonly importer: CustomerImporter;
  private readonly active = new Map<string, Readable>();

  constructor(
    private readonly repo: CustomerImportsRepository,
    customers: CustomersService,
    consents: ConsentService,
    owners: IdentityOwnersRepository,
  ) {
    this.importer = new CustomerImporter(owners, customers, consents);
  }

  async onApplicationBootstrap(): Promise<void> {
    const n = await this.repo.markStale(IMPORT_STALE_MS);
    if (n > 0) this.log.warn(`${n} customer import(s) left running by a stopped hub: interrupted`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const ids = [...this.active.keys()];
    for (const input of this.active.values()) input.destroy();
    await this.repo.markInterrupted(ids, 'the hub was stopped while importing').catch(() => {});
  }

  /** Checks the file (400 naming the problem), records the import, starts it; answers at once. */
  async start(userId: string, filename: string, bytes: Buffer): Promise<CustomerImport> {
    const shape = await precheckCsv(bytes);
    const record = await this.repo.create({
      createdBy: userId,
      filename,
      bytes: bytes.length,
      columns: shape.columns,
      totalRows: shape.rows,
    });
    const input = Readable.from([bytes]);
    this.active.set(record.id, input);
    void this.run(record.id, input).finally(() => this.active.delete(record.id));
    return record;
  }

  private async run(id: string, input: Readable): Promise<void> {
    let duplicates = 0;
    let last = Date.now();
    const counts = (s: ImportSummary) => ({
      processed: s.rows,
      created: s.imported,
      duplicates,
      rejected: s.rejected.length - duplicates,
    });
    const beat = setInterval(() => {
      this.repo.heartbeat(id).catch(() => {});
    }, IMPORT_HEARTBEAT_MS);
    try {
      const summary = await this.importer.run(
        input,
        async (s) => {
          if (Date.now() - last < PROGRESS_EVERY_MS) return;
          last = Date.now();
          await this.repo.progress(id, counts(s));
        },
        `csv-import:${id}`,
        async (rejection, cells) => {
          const duplicate = isDuplicate(rejection.reasons);
          if (duplicate) duplicates += 1;
          await this.repo.addRejection(id, { ...rejection, duplicate, cells });
        },
      );
      await this.repo.progress(id, counts(summary));
      await this.repo.finish(id, 'completed', null);
    } catch (e) {
      const message = (e as Error).message;
      this.log.warn(`customer import ${id} failed: ${message}`);
      await this.repo.finish(id, 'failed', message).catch(() => {});
    } finally {
      clearInterval(beat);
    }
  }

  /** The import with its first rejected rows; a dead process's import reads 'interrupted'. */
  async get(id: string): Promise<CustomerImport & { rejectedRows: StoredRejection[] }> {
    let record = await this.repo.get(id);
    if (!record) throw notFound('import', id);
    if (record.status === 'running' && !this.active.has(id)) {
      await this.repo.markStale(IMPORT_STALE_MS, id);
      record = (await this.repo.get(id)) ?? record;
    }
    return { ...record, rejectedRows: await this.repo.rejections(id, REJECTIONS_SHOWN) };
  }

  /** Every rejected row as CSV: line, reasons, then the file's own columns (formulas escaped). */
  async rejectedCsv(id: string): Promise<{ filename: string; csv: string }> {
    const record = await this.repo.get(id);
    if (!record) throw notFound('import', id);
    const rows: Array<Array<string | number>> = [];
    for (let after = 0; ;) {
      const page = await this.repo.rejections(id, 1000, after);
      for (const r of page)
        rows.push([r.line, r.reasons.join('; '), ...record.columns.map((c) => r.cells[c] ?? '')]);
      if (page.length < 1000) break;
      after = page[page.length - 1].line;
    }
    const base = record.filename.replace(/\.csv$/i, '') || 'import';
    return {
      filename: `${base}-rejected.csv`,
      csv: toCsv(['line', 'reasons', ...record.columns], rows),
    };
  }
}
