import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf } from './api/answers';
import { client, unwrap } from './api/client';

/** A colleague to assign to or mention (GET /api/v1/agents). */
export type StaffMember = AnswerOf<'/api/v1/agents', 'get'>['items'][number];

export type TeamRef = Pick<AnswerOf<'/api/v1/teams', 'get'>['items'][number], 'id' | 'name'>;

interface Directory {
  staff: StaffMember[];
  teams: TeamRef[];
}

let cached: Promise<Directory> | null = null;

function load(): Promise<Directory> {
  cached ??= Promise.all([
    unwrap(client.GET('/api/v1/agents')),
    unwrap(client.GET('/api/v1/teams')),
  ]).then(
    ([s, t]) => ({ staff: s.items, teams: t.items.map(({ id, name }) => ({ id, name })) }),
    (e: unknown) => {
      cached = null; // a failed load is retried by the next user of the hook
      throw e;
    },
  );
  return cached;
}

/** Colleagues and teams to assign to or mention, loaded once per page. */
export function useStaffDirectory(): Directory {
  const [dir, setDir] = useState<Directory>({ staff: [], teams: [] });
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && setDir(d),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return dir;
}
