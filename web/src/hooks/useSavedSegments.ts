import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';
import type { Segment } from '../components/contacts/segment-draft';

export type SavedSegment = AnswerOf<'/api/v1/segments', 'get'>['items'][number];

/** The saved segments, and saving, renaming and deleting one (the list reloads after each). */
export function useSavedSegments() {
  const [items, setItems] = useState<SavedSegment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setItems((await unwrap(client.GET('/api/v1/segments'))).items);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const create = async (name: string, definition: Segment) => {
    const saved = await unwrap(client.POST('/api/v1/segments', { body: { name, definition } }));
    await reload();
    return saved;
  };
  const rename = async (id: string, name: string) => {
    await unwrap(
      client.PATCH('/api/v1/segments/{id}', { params: { path: { id } }, body: { name } }),
    );
    await reload();
  };
  const update = async (id: string, definition: Segment) => {
    await unwrap(
      client.PATCH('/api/v1/segments/{id}', { params: { path: { id } }, body: { definition } }),
    );
    await reload();
  };
  const remove = async (id: string) => {
    await unwrap(client.DELETE('/api/v1/segments/{id}', { params: { path: { id } } }));
    await reload();
  };
  return { items, error, create, rename, update, remove };
}
