import type { EntityManager } from 'typeorm';
import type { NormalizedInbound } from '../channels/channel-port';
import { preparedQueryIn } from '../common/prepared-query';

type Row = Record<string, unknown>;

/** The conversation an inbound message joins (null: an auto-reply with none to join). */
export interface Episode {
  conversation: Row | null;
  newConversation: boolean;
}

/**
 * The episode this message belongs to: the one an e-mail reply points into, else the customer's
 * active one (`active`, read by the caller), else the latest resolved one reopened within the
 * reopen window, else a new one. Auto-replies never reopen anything.
 */
export async function resolveEpisode(
  m: EntityManager,
  customerId: string,
  input: NormalizedInbound,
  active: Row | null,
  reopenHours: number,
): Promise<Episode> {
  if (input.threadRefs?.length) {
    const referenced = (await m.query(
      `SELECT c.* FROM messages msg JOIN conversations c ON c.id = msg.conversation_id
       WHERE msg.channel = $1 AND msg.provider_message_id = ANY($2) AND c.customer_id = $3
       ORDER BY msg.seq DESC LIMIT 1`,
      [input.channel, input.threadRefs, customerId],
    )) as Row[];
    const target = referenced[0];
    if (target) {
      if (target.status !== 'open' && !input.autoReply) return reopen(m, target, customerId);
      return { conversation: target, newConversation: false };
    }
  }
  if (active) {
    if (active.status !== 'open' && !input.autoReply) return reopen(m, active, customerId);
    return { conversation: active, newConversation: false };
  }
  const latest = (await m.query(
    `SELECT * FROM conversations WHERE customer_id = $1 AND status = 'resolved'
       AND resolved_at > now() - make_interval(hours => $2) ORDER BY resolved_at DESC LIMIT 1 FOR UPDATE`,
    [customerId, reopenHours],
  )) as Row[];
  if (input.autoReply) return { conversation: latest[0] ?? null, newConversation: false };
  if (latest[0]) return reopen(m, latest[0], customerId);
  return openEpisode(m, customerId, input);
}

/** A new episode, unless an auto-reply (which never opens one) or a concurrent writer's won. */
export async function openEpisode(
  m: EntityManager,
  customerId: string,
  input: NormalizedInbound,
): Promise<Episode> {
  if (input.autoReply) return { conversation: null, newConversation: false };
  const inserted = await preparedQueryIn(
    m,
    `INSERT INTO conversations (customer_id, status, subject, last_channel, last_inbound_channel)
     VALUES ($1, 'open', $2, $3, $3)
     ON CONFLICT (customer_id) WHERE status <> 'resolved' DO NOTHING RETURNING *`,
    [customerId, input.subject ?? null, input.channel],
  );
  if (inserted[0]) return { conversation: inserted[0], newConversation: true };
  const winner = (await m.query(
    `SELECT * FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
    [customerId],
  )) as Row[];
  return { conversation: winner[0], newConversation: false };
}

/** Reopens `target`; if another episode is already active, the message joins that one instead. */
async function reopen(m: EntityManager, target: Row, customerId: string): Promise<Episode> {
  if (target.status === 'resolved') {
    const active = (await m.query(
      `SELECT * FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
      [customerId],
    )) as Row[];
    if (active[0]) return { conversation: active[0], newConversation: false };
  }
  const rows = (await m.query(
    `UPDATE conversations SET status = 'open', snoozed_until = NULL, resolved_at = NULL, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [target.id],
  )) as [Row[], number];
  return { conversation: rows[0][0], newConversation: false };
}
