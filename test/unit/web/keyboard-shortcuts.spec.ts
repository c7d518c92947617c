import { neighbour, shortcutFor, type KeyPress } from '../../../web/src/keyboard-shortcuts';

const body = { tagName: 'BODY' };
const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  target: body,
  ...more,
});

describe('keyboard shortcuts', () => {
  it('maps the letters to inbox commands outside text boxes', () => {
    const map = Object.fromEntries(
      ['j', 'k', 'r', 'n', 'e', 'a', 's', 'x', '/', '?'].map((k) => [k, shortcutFor(press(k))]),
    );
    expect(map).toEqual({
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
    });
    expect(shortcutFor(press('q'))).toBeNull();
    expect(shortcutFor(press('J'))).toBeNull();
  });

  it('ignores letters while typing, but not Escape or Ctrl/Cmd+K', () => {
    for (const target of [
      { tagName: 'TEXTAREA' },
      { tagName: 'INPUT', type: 'search' },
      { tagName: 'INPUT' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ]) {
      expect(shortcutFor(press('e', { target }))).toBeNull();
      expect(shortcutFor(press('j', { target }), true)).toBeNull();
      expect(shortcutFor(press('Escape', { target }))).toBe('escape');
      expect(shortcutFor(press('k', { target, ctrlKey: true }))).toBe('palette');
      // Ctrl/Cmd+Enter is the reply box's own: never a command here.
      expect(shortcutFor(press('Enter', { target, ctrlKey: true }))).toBeNull();
      expect(shortcutFor(press('Enter', { target, metaKey: true }))).toBeNull();
    }
    // A checkbox or a button is not a text box.
    expect(shortcutFor(press('x', { target: { tagName: 'INPUT', type: 'checkbox' } }))).toBe(
      'toggleSelect',
    );
    expect(shortcutFor(press('e', { target: { tagName: 'BUTTON' } }))).toBe('resolve');
  });

  it('opens the palette on Ctrl+K and Cmd+K, and leaves other modified keys alone', () => {
    expect(shortcutFor(press('k', { ctrlKey: true }))).toBe('palette');
    expect(shortcutFor(press('K', { metaKey: true }))).toBe('palette');
    expect(shortcutFor(press('k', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutFor(press('r', { ctrlKey: true }))).toBeNull(); // reload stays the browser's
    expect(shortcutFor(press('e', { altKey: true }))).toBeNull();
  });

  it('moves with the arrow keys only when the list has focus', () => {
    expect(shortcutFor(press('ArrowDown'))).toBeNull();
    expect(shortcutFor(press('ArrowDown'), true)).toBe('next');
    expect(shortcutFor(press('ArrowUp'), true)).toBe('previous');
  });

  it('finds the next and previous conversation, stopping at the ends', () => {
    const order = ['a', 'b', 'c'];
    expect(neighbour(order, 'a', 1)).toBe('b');
    expect(neighbour(order, 'b', -1)).toBe('a');
    expect(neighbour(order, 'c', 1)).toBe('c');
    expect(neighbour(order, 'a', -1)).toBe('a');
    expect(neighbour(order, null, 1)).toBe('a');
    expect(neighbour(order, 'gone', -1)).toBe('a');
    expect(neighbour([], null, 1)).toBeNull();
  });
});
