import { z } from 'zod';

/** A browser import of customers and where it is. */
export const CustomerImportResponse = z.object({
  id: z.uuid(),
  filename: z.string(),
  bytes: z.int(),
  status: z.enum(['running', 'completed', 'failed', 'interrupted']).meta({
    description:
      'interrupted: the hub stopped mid-import; the rows before `processed` were imported, ' +
      'import the same file again to finish it (the imported rows are skipped as duplicates)',
  }),
  columns: z.array(z.string()).meta({ description: 'the header as the importer reads it' }),
  totalRows: z.int(),
  processed: z.int(),
  created: z.int(),
  duplicates: z.int().meta({
    description: 'rows skipped: an address already belongs to a customer (or to an earlier row)',
  }),
  rejected: z.int().meta({ description: 'rows refused for bad or missing values' }),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const CustomerImportDetailResponse = CustomerImportResponse.extend({
  rejectedRows: z
    .array(
      z.object({
        line: z.int().meta({ description: 'the line in the file (the header is line 1)' }),
        reasons: z.array(z.string()),
        duplicate: z.boolean(),
        cells: z.record(z.string(), z.string()),
      }),
    )
    .meta({ description: 'the first 200 rows not imported, in file order (all in the CSV)' }),
});
