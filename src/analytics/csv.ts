/**
 * CSV for spreadsheets: RFC 4180 quoting, CRLF rows, a UTF-8 byte-order mark so Excel reads
 * Chinese, and cells that a spreadsheet would run as a formula (= + - @, tab, carriage return)
 * prefixed with an apostrophe (OWASP's advice against CSV injection).
 */
export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // A negative number is data, not a formula.
  if (typeof v !== 'number' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * The same CSV as toCsv, produced a batch of rows at a time (a stream of any length is never
 * held whole): the byte-order mark and header first, then each batch's lines.
 */
export async function* csvChunks(
  header: string[],
  batches: AsyncIterable<CsvCell[][]>,
): AsyncGenerator<string> {
  yield `\uFEFF${header.map(csvCell).join(',')}\r\n`;
  for await (const rows of batches) {
    if (rows.length > 0) yield rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
  }
}
