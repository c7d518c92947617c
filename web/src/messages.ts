import type { Conversation, Message } from './types';

function time(m: Message): number {
  const t = Date.parse(m.createdAt);
  return Number.isNaN(t) ? 0 : t;
}

/** Adds or replaces messages by id, oldest first. A real message replaces its pending placeholder. */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  const byId = new Map<string, Message>();
  for (const m of existing) byId.set(m.id, m);
  for (const m of incoming) {
    const prev = byId.get(m.id);
    byId.set(m.id, prev ? { ...prev, ...m, pending: m.pending ?? false } : m);
  }
  return [...byId.values()].sort((a, b) => time(a) - time(b));
}

/** Moves a conversation to the top of the list (or drops it when it no longer matches the filters). */
export function upsertTop(list: Conversation[], conv: Conversation, keep: boolean): Conversation[] {
  const prev = list.find((c) => c.id === conv.id);
  const rest = list.filter((c) => c.id !== conv.id);
  if (!keep) return rest;
  const merged: Conversation = prev
    ? { ...prev, ...conv, customer: conv.customer ?? prev.customer }
    : conv;
  return [merged, ...rest];
}

/** Merges fresh fields into a conversation without moving it. */
export function patchInPlace(
  list: Conversation[],
  conv: Conversation,
  keep: boolean,
): Conversation[] {
  if (!keep) return list.filter((c) => c.id !== conv.id);
  return list.map((c) =>
    c.id === conv.id ? { ...c, ...conv, customer: conv.customer ?? c.customer } : c,
  );
}

export function lastInbound(messages: Message[]): Message | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.direction === 'inbound' && (m.kind === 'message' || m.kind === 'call')) return m;
  }
  return undefined;
}
