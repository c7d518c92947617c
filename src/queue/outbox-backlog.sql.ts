/**
 * The queued work per queue, read from the outbox (the source of truth under both queue drivers):
 * due rows not yet claimed, rows scheduled for later (quiet hours, fallback checks, SLA timers),
 * rows being run, and how long the oldest due row has waited. Served by outbox_jobs_open.
 */
export const OUTBOX_BACKLOG = `
  SELECT queue,
         count(*) FILTER (WHERE status = 'pending' AND run_at <= now())::int AS due,
         count(*) FILTER (WHERE status = 'pending' AND run_at > now())::int AS scheduled,
         count(*) FILTER (WHERE status = 'running')::int AS running,
         COALESCE(EXTRACT(EPOCH FROM now() - min(run_at) FILTER (
           WHERE status = 'pending' AND run_at <= now())), 0)::float8 AS oldest_due_seconds
    FROM outbox_jobs
   WHERE status IN ('pending', 'running')
   GROUP BY queue`;

/** What OUTBOX_BACKLOG selects, one row per queue. */
export interface OutboxBacklogRow {
  queue: string;
  due: number;
  scheduled: number;
  running: number;
  oldest_due_seconds: number;
}
