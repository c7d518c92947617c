import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

/**
 * Calls `load` (a typed client call, see settings-api.ts) on mount, on reload() and when `load`
 * changes; keeps the last good data while reloading. Give a stable function (module level or
 * useCallback): a new one each render loads again each render.
 */
export function useResource<T>(load: () => Promise<T>): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load()
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(null);
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [load, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, reload };
}

/** The items of a `{items: T[]}` list resource. */
export function useList<T>(
  load: () => Promise<{ items: T[] }>,
): Resource<{ items: T[] }> & { items: T[] } {
  const r = useResource(load);
  return { ...r, items: r.data?.items ?? [] };
}

/**
 * Runs a change and then `after` (usually a reload); remembers the error of the last run, so a
 * section shows why its change was refused.
 */
export function useAction(after: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (work: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        await work();
        after();
        return true;
      } catch (e) {
        setError((e as Error).message);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [after],
  );
  return { run, busy, error };
}
