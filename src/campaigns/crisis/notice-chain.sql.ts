/**
 * The messages of a campaign's recipients, each with its hop: 0 for the first attempt (the
 * recipient's message), n for the n-th fallback (metadata.fallbackOf = that message,
 * metadata.fallbackStep = n - 1), and the fallback steps that were refused before a message
 * was written (metadata.fallbackLog entries whose outcome is "not sent: ..."), with no message.
 * `rec` must be a CTE of campaign_recipients rows (customer_id, message_id) in scope.
 */
export const NOTICE_CHAIN_SQL = `
  SELECT rec.customer_id, m.id AS message_id, 0 AS hop, m.channel, m.address, m.status,
         NULL::text AS fallback_reason, m.created_at
  FROM rec JOIN messages m ON m.id = rec.message_id
  UNION ALL
  SELECT rec.customer_id, f.id, COALESCE((f.metadata->>'fallbackStep')::int, 0) + 1, f.channel, f.address, f.status,
         f.metadata->>'fallbackReason', f.created_at
  FROM rec JOIN messages f ON f.metadata->>'fallbackOf' = rec.message_id::text
  UNION ALL
  SELECT rec.customer_id, NULL::uuid, (l.entry->>'step')::int + 1, l.entry->>'channel', NULL, 'not_sent',
         (l.entry->>'reason') || ' (' || (l.entry->>'outcome') || ')', (l.entry->>'at')::timestamptz
  FROM rec JOIN messages m ON m.id = rec.message_id
  CROSS JOIN LATERAL jsonb_array_elements(COALESCE(m.metadata->'fallbackLog', '[]'::jsonb)) AS l(entry)
  WHERE l.entry->>'outcome' LIKE 'not sent%'`;
