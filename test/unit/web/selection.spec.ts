import { EMPTY_SELECTION, keepShown, toggleAll, toggleRow } from '../../../web/src/selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const sorted = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('row selection for bulk actions', () => {
  it('toggles one row and makes it the anchor', () => {
    const s = toggleRow(EMPTY_SELECTION, order, 'b', false);
    expect(sorted(s)).toEqual(['b']);
    expect(s.anchor).toBe('b');
    expect(sorted(toggleRow(s, order, 'b', false))).toEqual([]);
  });

  it('picks a range with shift, in either direction, and unpicks one the same way', () => {
    const s = toggleRow(toggleRow(EMPTY_SELECTION, order, 'b', false), order, 'd', true);
    expect(sorted(s)).toEqual(['b', 'c', 'd']);
    const up = toggleRow(toggleRow(EMPTY_SELECTION, order, 'e', false), order, 'c', true);
    expect(sorted(up)).toEqual(['c', 'd', 'e']);
    // Shift-clicking a picked row unpicks the range from the anchor.
    expect(sorted(toggleRow(up, order, 'd', true))).toEqual(['e']);
    // Without an anchor, shift-click is a plain click.
    expect(sorted(toggleRow(EMPTY_SELECTION, order, 'c', true))).toEqual(['c']);
  });

  it('selects every row shown, or none when all are', () => {
    const all = toggleAll(EMPTY_SELECTION, order);
    expect(sorted(all)).toEqual(order);
    expect(sorted(toggleAll(all, order))).toEqual([]);
    expect(sorted(toggleAll(toggleRow(EMPTY_SELECTION, order, 'a', false), order))).toEqual(order);
  });

  it('forgets rows the list no longer shows', () => {
    const s = toggleRow(toggleAll(EMPTY_SELECTION, order), order, 'c', false);
    const kept = keepShown(s, ['a', 'c', 'e']);
    expect(sorted(kept)).toEqual(['a', 'e']);
    expect(keepShown(kept, ['a', 'c', 'e'])).toBe(kept);
  });
});
