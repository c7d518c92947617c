// The live count of a segment being edited: POST /campaigns/segments/preview, debounced; the
// answer to an older segment never overwrites a newer one.
import { useEffect, useState } from 'preact/hooks';
import { client, unwrap } from '../api/client';
import type { Segment } from '../builder-form';

const DEBOUNCE_MS = 350;

export type SegmentCount =
  { state: 'counting' } | { state: 'done'; count: number } | { state: 'failed'; error: string };

export function useSegmentCount(segment: Segment | null): SegmentCount | null {
  const [result, setResult] = useState<SegmentCount | null>(null);
  const key = segment === null ? null : JSON.stringify(segment);
  useEffect(() => {
    if (key === null) {
      setResult(null);
      return;
    }
    let live = true;
    setResult({ state: 'counting' });
    const timer = setTimeout(() => {
      unwrap(
        client.POST('/api/v1/campaigns/segments/preview', {
          body: { segment: JSON.parse(key) as Segment },
        }),
      )
        .then((r) => live && setResult({ state: 'done', count: r.count }))
        .catch(
          (e: unknown) =>
            live &&
            setResult({ state: 'failed', error: e instanceof Error ? e.message : String(e) }),
        );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return result;
}
