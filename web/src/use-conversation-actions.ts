import { ApiError } from './api';
import { client, unwrap } from './api/client';
import type { Conversation, ConversationStatus, Priority } from './types';

export interface ConversationActions {
  assign(target: { agentId?: string | null; teamId?: string | null }): Promise<void>;
  setStatus(status: ConversationStatus, snoozeUntil?: Date): Promise<void>;
  setPriority(priority: Priority): Promise<void>;
  setTags(tags: string[]): Promise<void>;
  followUp(at: Date, note: string): Promise<boolean>;
}

/**
 * Every change an agent can make to a conversation, through the API; the updated conversation
 * goes to onChanged, an API refusal's message to onError.
 */
export function conversationActions(
  conversationId: string,
  onChanged: (c: Conversation) => void,
  onError: (message: string | null) => void,
): ConversationActions {
  const path = { path: { id: conversationId } };
  /** Runs a change; the updated conversation, when it answers one, goes to onChanged. */
  const run = async (change: () => Promise<Conversation | null>): Promise<boolean> => {
    onError(null);
    try {
      const changed = await change();
      if (changed) onChanged(changed);
      return true;
    } catch (err) {
      onError(err instanceof ApiError ? err.message : String(err));
      return false;
    }
  };
  return {
    async assign(target) {
      await run(() =>
        unwrap(client.POST('/api/v1/conversations/{id}/assign', { params: path, body: target })),
      );
    },
    async setStatus(status, snoozeUntil) {
      const body = snoozeUntil ? { status, snoozeUntil: snoozeUntil.toISOString() } : { status };
      await run(() =>
        unwrap(client.POST('/api/v1/conversations/{id}/status', { params: path, body })),
      );
    },
    async setPriority(priority) {
      await run(() =>
        unwrap(
          client.POST('/api/v1/conversations/{id}/priority', { params: path, body: { priority } }),
        ),
      );
    },
    async setTags(tags) {
      await run(() =>
        unwrap(client.POST('/api/v1/conversations/{id}/tags', { params: path, body: { tags } })),
      );
    },
    followUp(at, note) {
      // A follow-up answers itself, not the conversation.
      return run(async () => {
        await unwrap(
          client.POST('/api/v1/conversations/{id}/follow-ups', {
            params: path,
            body: { at: at.toISOString(), note },
          }),
        );
        return null;
      });
    },
  };
}
