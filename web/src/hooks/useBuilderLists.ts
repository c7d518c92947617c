// What the campaign builder chooses from: saved segments and templates (with their channels,
// locales and variants).
import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';

export type SavedSegment = AnswerOf<'/api/v1/segments', 'get'>['items'][number];
export type TemplateListing = AnswerOf<'/api/v1/templates', 'get'>['items'][number];

export function useBuilderLists() {
  const [segments, setSegments] = useState<SavedSegment[] | null>(null);
  const [templates, setTemplates] = useState<TemplateListing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const fail = (e: unknown) => live && setError(e instanceof Error ? e.message : String(e));
    unwrap(client.GET('/api/v1/segments'))
      .then((r) => live && setSegments(r.items))
      .catch(fail);
    unwrap(client.GET('/api/v1/templates'))
      .then((r) => live && setTemplates(r.items))
      .catch(fail);
    return () => {
      live = false;
    };
  }, []);
  return { segments, templates, error };
}
