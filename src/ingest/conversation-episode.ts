import type { NormalizedInbound } from '../channels/channel-port';
import type { Tx } from '../database/transactions';
import type { ConversationEpisodesRepository } from './conversation-episodes.repository';
import type { ConversationRow } from './inbound-messages.repository';

/** The conversation an inbound message joins (null: an auto-reply with none to join). */
export interface Episode {
  conversation: ConversationRow | null;
  newConversation: boolean;
}

/**
 * The episode this message belongs to: the one an e-mail reply points into, else the customer's
 * active one (`active`, read by the caller), else the latest resolved one reopened within the
 * reopen window, else a new one. Auto-replies never reopen anything.
 */
export async function resolveEpisode(
  episodes: ConversationEpisodesRepository,
  tx: Tx,
  customerId: string,
  input: NormalizedInbound,
  active: ConversationRow | null,
  reopenHours: number,
): Promise<Episode> {
  if (input.threadRefs?.length) {
    const target = await episodes.referenced(tx, input.channel, input.threadRefs, customerId);
    if (target) {
      if (target.status !== 'open' && !input.autoReply)
        return reopen(episodes, tx, target, customerId);
      return { conversation: target, newConversation: false };
    }
  }
  if (active) {
    if (active.status !== 'open' && !input.autoReply)
      return reopen(episodes, tx, active, customerId);
    return { conversation: active, newConversation: false };
  }
  const latest = await episodes.latestResolvedWithin(tx, customerId, reopenHours);
  if (input.autoReply) return { conversation: latest, newConversation: false };
  if (latest) return reopen(episodes, tx, latest, customerId);
  return openEpisode(episodes, tx, customerId, input);
}

/** A new episode, unless an auto-reply (which never opens one) or a concurrent writer's won. */
export async function openEpisode(
  episodes: ConversationEpisodesRepository,
  tx: Tx,
  customerId: string,
  input: NormalizedInbound,
): Promise<Episode> {
  if (input.autoReply) return { conversation: null, newConversation: false };
  const inserted = await episodes.open(tx, customerId, input.subject ?? null, input.channel);
  if (inserted) return { conversation: inserted, newConversation: true };
  return { conversation: await episodes.active(tx, customerId), newConversation: false };
}

/** Reopens `target`; if another episode is already active, the message joins that one instead. */
async function reopen(
  episodes: ConversationEpisodesRepository,
  tx: Tx,
  target: ConversationRow,
  customerId: string,
): Promise<Episode> {
  if (target.status === 'resolved') {
    const active = await episodes.active(tx, customerId);
    if (active) return { conversation: active, newConversation: false };
  }
  return { conversation: await episodes.reopen(tx, target.id), newConversation: false };
}
