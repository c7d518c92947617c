/** The rows picked for a bulk action, and the row a shift-click range starts from. */
export interface Selection {
  ids: ReadonlySet<string>;
  anchor: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

/**
 * Toggles one row; with `range` (shift-click) every row between the anchor and this one (in list
 * order) takes this row's new state. The clicked row becomes the anchor.
 */
export function toggleRow(
  s: Selection,
  order: readonly string[],
  id: string,
  range: boolean,
): Selection {
  const on = !s.ids.has(id);
  const next = new Set(s.ids);
  const from = s.anchor ? order.indexOf(s.anchor) : -1;
  const to = order.indexOf(id);
  if (range && from >= 0 && to >= 0) {
    const [lo, hi] = from < to ? [from, to] : [to, from];
    for (const rowId of order.slice(lo, hi + 1)) {
      if (on) next.add(rowId);
      else next.delete(rowId);
    }
  } else if (on) next.add(id);
  else next.delete(id);
  return { ids: next, anchor: id };
}

/** Every row shown when some are unpicked, else none. */
export function toggleAll(s: Selection, order: readonly string[]): Selection {
  const all = order.length > 0 && order.every((id) => s.ids.has(id));
  return { ids: all ? new Set() : new Set(order), anchor: null };
}

/** Drops picked rows the list no longer shows (filtered out, resolved away). */
export function keepShown(s: Selection, order: readonly string[]): Selection {
  const shown = new Set(order);
  if ([...s.ids].every((id) => shown.has(id))) return s;
  return {
    ids: new Set([...s.ids].filter((id) => shown.has(id))),
    anchor: s.anchor && shown.has(s.anchor) ? s.anchor : null,
  };
}
