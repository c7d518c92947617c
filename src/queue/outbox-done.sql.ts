/**
 * The statement that marks claimed outbox rows done, for a repository that writes it with other
 * work (its handler then returns JOB_COMPLETED); `ids` is an SQL expression of a uuid[].
 */
export function outboxDoneSql(ids: string): string {
  return `UPDATE outbox_jobs SET status = 'done', locked_until = NULL, last_error = NULL, updated_at = now()
          WHERE id = ANY(${ids})`;
}
