// The canned responses offered in the reply box, loaded once per session.
import { useEffect, useState } from 'preact/hooks';
import { client, unwrap } from '../api/client';
import type { CannedResponse } from '../types';

export function useCannedResponses(token: string): CannedResponse[] {
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  useEffect(() => {
    unwrap(client.GET('/api/v1/canned-responses'))
      .then((r) => setCanned(r.items))
      .catch(() => setCanned([]));
  }, [token]);
  return canned;
}
