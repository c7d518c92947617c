// What the keyboard and the palette do in the inbox: each command as a function over the page.
import { navigate } from './router';
import type { Conversation, ConversationStatus, Priority, User } from './types';
import { conversationActions, type ConversationActions } from './use-conversation-actions';

export interface InboxContext {
  list: Conversation[];
  openId: string | null;
  me: User | null;
  onChanged: (c: Conversation) => void;
  onActionError: (message: string | null) => void;
}

export const openConversation = (id: string) => {
  navigate(`#/c/${encodeURIComponent(id)}`);
  // The row may be off-screen once the list has scrolled: bring it into view.
  requestAnimationFrame(() =>
    document
      .querySelector(`[data-testid="conversation-row"][data-conversation-id="${CSS.escape(id)}"]`)
      ?.scrollIntoView?.({ block: 'nearest' }),
  );
};

/** The open conversation's actions, or null with none open. */
export function openActions(ctx: InboxContext): ConversationActions | null {
  return ctx.openId ? conversationActions(ctx.openId, ctx.onChanged, ctx.onActionError) : null;
}

export function openStatus(ctx: InboxContext): ConversationStatus | null {
  return ctx.list.find((c) => c.id === ctx.openId)?.status ?? null;
}

/** Focuses the reply box, switched to note mode or out of it. */
export function focusReply(note: boolean): void {
  const toggle = document.querySelector<HTMLInputElement>('[data-testid="reply-note-toggle"]');
  if (toggle && toggle.checked !== note) toggle.click();
  document.querySelector<HTMLTextAreaElement>('[data-testid="reply-text"]')?.focus();
}

/** Opens the conversation's snooze menu and focuses its first choice. */
export function openSnoozeMenu(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-testid="snooze"]');
  if (!button) return;
  if (button.getAttribute('aria-expanded') !== 'true') button.click();
  requestAnimationFrame(() =>
    document.querySelector<HTMLButtonElement>('[data-testid="snooze-menu"] button')?.focus(),
  );
}

export function focusSearch(): void {
  const input = document.querySelector<HTMLInputElement>('[data-testid="filter-search"]');
  input?.focus();
  input?.select();
}

export function assignToMe(ctx: InboxContext): void {
  const actions = openActions(ctx);
  if (actions && ctx.me) void actions.assign({ agentId: ctx.me.id });
}

export function setOpenPriority(ctx: InboxContext, priority: Priority): void {
  void openActions(ctx)?.setPriority(priority);
}
