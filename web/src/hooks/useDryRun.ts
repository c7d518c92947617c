// A draft campaign's dry run (POST /campaigns/:id/dry-run): what a launch now would do.
import { useCallback, useState } from 'preact/hooks';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';

export type DryRun = AnswerOf<'/api/v1/campaigns/{id}/dry-run', 'post'>;

export function useDryRun(id: string) {
  const [result, setResult] = useState<DryRun | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(
        await unwrap(client.POST('/api/v1/campaigns/{id}/dry-run', { params: { path: { id } } })),
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  }, [id]);
  return { result, running, error, run };
}
