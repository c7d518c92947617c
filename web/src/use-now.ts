// One clock for every countdown on screen: a single interval, started while anyone listens.
import { useEffect, useState } from 'preact/hooks';

const TICK_MS = 15_000;
const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | null = null;

/** The current time, re-rendering every TICK_MS; all users share one timer. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    listeners.add(setNow);
    if (!timer)
      timer = setInterval(() => {
        const n = Date.now();
        for (const fn of listeners) fn(n);
      }, TICK_MS);
    return () => {
      listeners.delete(setNow);
      if (listeners.size === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, []);
  return now;
}
