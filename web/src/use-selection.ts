import { useEffect, useMemo, useState } from 'preact/hooks';
import { EMPTY_SELECTION, keepShown, toggleAll, toggleRow, type Selection } from './selection';

export interface RowSelection {
  ids: ReadonlySet<string>;
  toggle(id: string, range?: boolean): void;
  toggleAll(): void;
  clear(): void;
}

/** The conversations picked in the list (in the list's order), for bulk actions. */
export function useRowSelection(order: readonly string[]): RowSelection {
  const [sel, setSel] = useState<Selection>(EMPTY_SELECTION);
  const key = order.join(',');
  useEffect(() => setSel((s) => keepShown(s, order)), [key]);
  return useMemo(
    () => ({
      ids: sel.ids,
      toggle: (id, range = false) => setSel((s) => toggleRow(s, order, id, range)),
      toggleAll: () => setSel((s) => toggleAll(s, order)),
      clear: () => setSel(EMPTY_SELECTION),
    }),
    [sel, key],
  );
}
