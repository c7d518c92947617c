import { useEffect, useRef } from 'preact/hooks';
import {
  assignToMe,
  focusReply,
  focusSearch,
  openActions,
  openConversation,
  openSnoozeMenu,
  type InboxContext,
} from './inbox-commands';
import { isTyping, neighbour, shortcutFor, type ShortcutCommand } from './keyboard-shortcuts';
import type { RowSelection } from './use-selection';

interface Handlers {
  ctx: InboxContext;
  selection: RowSelection;
  /** An overlay (palette, help) is open: only Escape, ? and Ctrl+K count. */
  overlayOpen: boolean;
  onPalette: () => void;
  onHelp: () => void;
  onEscape: () => void;
}

const LIST = '[data-testid="conversation-list"]';

/** The inbox's keyboard shortcuts on the document, read through a ref so they see this render. */
export function useInboxKeyboard(h: Handlers): void {
  const ref = useRef(h);
  ref.current = h;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      const listFocused = !!target?.closest(LIST) && !isTyping(target);
      const { key, ctrlKey, metaKey, altKey } = e;
      const command = shortcutFor({ key, ctrlKey, metaKey, altKey, target }, listFocused);
      if (!command) return;
      const { overlayOpen } = ref.current;
      if (overlayOpen && command !== 'escape' && command !== 'palette' && command !== 'help')
        return;
      if (command === 'escape') {
        if (overlayOpen) ref.current.onEscape();
        else if (target && isTyping(target)) target.blur();
        else return;
      } else {
        run(command, ref.current);
      }
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

function run(command: Exclude<ShortcutCommand, 'escape'>, h: Handlers): void {
  const { ctx } = h;
  const order = ctx.list.map((c) => c.id);
  switch (command) {
    case 'next':
    case 'previous': {
      const id = neighbour(order, ctx.openId, command === 'next' ? 1 : -1);
      if (id && id !== ctx.openId) openConversation(id);
      return;
    }
    case 'reply':
    case 'note':
      return focusReply(command === 'note');
    case 'resolve':
      void openActions(ctx)?.setStatus('resolved');
      return;
    case 'assignMe':
      return assignToMe(ctx);
    case 'snooze':
      return openSnoozeMenu();
    case 'toggleSelect':
      if (ctx.openId) h.selection.toggle(ctx.openId);
      return;
    case 'search':
      return focusSearch();
    case 'help':
      return h.onHelp();
    case 'palette':
      return h.onPalette();
  }
}
