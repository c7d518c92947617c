/** What a key press asks the inbox to do. */
export type ShortcutCommand =
  | 'next'
  | 'previous'
  | 'reply'
  | 'note'
  | 'resolve'
  | 'assignMe'
  | 'snooze'
  | 'toggleSelect'
  | 'search'
  | 'help'
  | 'palette'
  | 'escape';

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The element that has focus: `tagName`, `isContentEditable`, an input's `type`. */
  target?: { tagName?: string; isContentEditable?: boolean; type?: string } | null;
}

const LETTERS: Record<string, ShortcutCommand> = {
  j: 'next',
  k: 'previous',
  r: 'reply',
  n: 'note',
  e: 'resolve',
  a: 'assignMe',
  s: 'snooze',
  x: 'toggleSelect',
  '/': 'search',
  '?': 'help',
};

/** Inputs where a letter is text, not a command (a checkbox or button is not). */
const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'url',
  'tel',
  'password',
  'number',
  'date',
  'datetime-local',
  'time',
]);

export function isTyping(target: KeyPress['target']): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && TEXT_INPUT_TYPES.has((target.type ?? 'text').toLowerCase());
}

/**
 * The command for a key press, or null to leave it to the browser. Ctrl/Cmd+K opens the palette
 * anywhere; while typing only Escape counts (Ctrl/Cmd+Enter belongs to the reply box). Arrow keys
 * move only when the conversation list has focus.
 */
export function shortcutFor(e: KeyPress, listFocused = false): ShortcutCommand | null {
  const mod = !!(e.ctrlKey || e.metaKey);
  if (mod && !e.altKey && e.key.toLowerCase() === 'k') return 'palette';
  if (e.key === 'Escape') return 'escape';
  if (isTyping(e.target) || mod || e.altKey) return null;
  if (listFocused && e.key === 'ArrowDown') return 'next';
  if (listFocused && e.key === 'ArrowUp') return 'previous';
  return LETTERS[e.key] ?? null;
}

/** The help overlay's rows: keys as shown, and the command. */
export const SHORTCUT_HELP: Array<{ keys: string[]; command: ShortcutCommand }> = [
  { keys: ['j', '↓'], command: 'next' },
  { keys: ['k', '↑'], command: 'previous' },
  { keys: ['r'], command: 'reply' },
  { keys: ['n'], command: 'note' },
  { keys: ['e'], command: 'resolve' },
  { keys: ['a'], command: 'assignMe' },
  { keys: ['s'], command: 'snooze' },
  { keys: ['x'], command: 'toggleSelect' },
  { keys: ['/'], command: 'search' },
  { keys: ['Ctrl K', '⌘ K'], command: 'palette' },
  { keys: ['?'], command: 'help' },
  { keys: ['Esc'], command: 'escape' },
];

/** The id after (or before) the open one in the list; the first when none is open. */
export function neighbour(
  order: readonly string[],
  openId: string | null,
  step: 1 | -1,
): string | null {
  if (order.length === 0) return null;
  const i = openId ? order.indexOf(openId) : -1;
  if (i < 0) return order[0];
  return order[Math.min(order.length - 1, Math.max(0, i + step))];
}
