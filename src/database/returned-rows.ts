/**
 * The rows of an UPDATE or DELETE ... RETURNING: TypeORM's query() answers those as
 * [rows, affected] with the pg driver and as plain rows elsewhere.
 */
export function returnedRows<T = Record<string, unknown>>(result: unknown): T[] {
  const r = result as unknown[];
  return (r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? r[0] : r) as T[];
}
