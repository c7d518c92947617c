/**
 * What a digest plan reads about a customer's recent low-urgency contacts, as SQL fragments;
 * used by DigestsRepository (one customer) and RoutingContextRepository (a campaign batch) only,
 * so both plan from the same facts.
 */

/** Over messages `m`: a low-urgency contact that opens a window (sent alone, or queued to be, or a digest). */
export const LOW_CONTACT = `m.direction = 'outbound' AND m.kind = 'message' AND m.urgency = 'low'
  AND m.status NOT IN ('suppressed', 'failed', 'undelivered', 'digested')`;

/**
 * The digests of a batch's customers still gathering or being flushed, set-based: to be listed
 * after `batch_ids AS (SELECT array_agg(id) AS ids ...)` in a WITH and joined on customer_id
 * (the digests_live index). `open_digest` is {id, dueAt} of the open one; `closed_due` the due
 * time of a digest being flushed (a contact at its due time).
 */
export const BATCH_DIGESTS = `
  batch_digests AS (
    SELECT d.customer_id,
           (array_agg(json_build_object('id', d.id, 'dueAt', d.due_at)) FILTER (WHERE d.status = 'open'))[1] AS open_digest,
           max(d.due_at) FILTER (WHERE d.status = 'closed') AS closed_due
    FROM digests d
    WHERE d.customer_id = ANY ((SELECT ids FROM batch_ids)::uuid[]) AND d.status IN ('open', 'closed')
    GROUP BY d.customer_id)`;
