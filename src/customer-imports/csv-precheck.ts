import { parse } from 'csv-parse';
import { Readable } from 'stream';
import { readHeader } from '../campaigns/customer-import';
import { DomainError } from '../common/errors/domain-error';

/** What a whole-file read finds before anything is written: the columns and the row count. */
export interface CsvShape {
  columns: string[];
  rows: number;
}

/**
 * Reads the whole CSV once without touching the database, with the importer's own options, so
 * that a file that is not a CSV, has no usable header or breaks off mid-way is refused (400,
 * naming the problem and its line) before any customer is created, and so that progress has a
 * total to count towards.
 */
export async function precheckCsv(bytes: Buffer): Promise<CsvShape> {
  if (bytes.length === 0) throw bad('csv: the file is empty; it needs a header row');
  if (bytes.includes(0)) throw bad('csv: the file holds NUL bytes; send a CSV saved as UTF-8 text');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel on Chinese Windows saves "CSV" as GBK: names would arrive garbled.
    throw bad('csv: the file is not UTF-8 text; save it as "CSV UTF-8" and send it again');
  }
  let columns: string[] = [];
  let rows = 0;
  const parser = Readable.from([bytes]).pipe(
    parse({
      columns: (cells: string[]) => (columns = readHeader(cells)),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  );
  try {
    for await (const _ of parser as AsyncIterable<unknown>) rows += 1;
  } catch (e) {
    if (e instanceof DomainError) throw e;
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof DomainError) throw cause;
    throw bad(`csv: ${(e as Error).message}`);
  }
  if (columns.length === 0) throw bad('csv: the file is empty; it needs a header row');
  if (rows === 0) throw bad('csv: the file has a header but no rows under it');
  return { columns, rows };
}

const bad = (message: string) => new DomainError('bad_request', message);
