/**
 * The SLA policy that applies to a conversation, as jsonb (NULL: none): by priority and channel,
 * the most specific first, then the newest. Shared by the statements that begin an SLA cycle.
 */
export const SLA_POLICY_FOR = (priority: string, channel: string) => `(
  SELECT to_jsonb(p) FROM sla_policies p
   WHERE (p.priority IS NULL OR p.priority = ${priority}) AND (p.channel IS NULL OR p.channel = ${channel})
   ORDER BY (p.priority IS NOT NULL) DESC, (p.channel IS NOT NULL) DESC, p.created_at DESC
   LIMIT 1)`;
