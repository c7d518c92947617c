import { useEffect, useRef, useState } from 'preact/hooks';
import type { AnswerOf } from '../api/answers';
import { client, unwrap } from '../api/client';
import { xhrFetch } from '../xhr-fetch';

export type CustomerImport = AnswerOf<'/api/v1/customers/imports/{id}', 'get'>;

export type ImportState =
  | { phase: 'idle' }
  | { phase: 'uploading'; sent: number; total: number }
  | { phase: 'importing' | 'done'; import: CustomerImport }
  | { phase: 'error'; message: string };

/** How often a running import is asked for its counts. */
const POLL_MS = 300;

/**
 * Uploads a CSV (reporting the bytes sent), then follows the import the server runs (its counts
 * and rejected rows) until it is no longer running.
 */
export function useCustomerImport(): { state: ImportState; start: (file: File) => void } {
  const [state, setState] = useState<ImportState>({ phase: 'idle' });
  const run = useRef(0);
  useEffect(
    () => () => {
      run.current += 1; // leaving the page stops following
    },
    [],
  );

  const start = (file: File) => {
    const mine = ++run.current;
    const set = (s: ImportState) => run.current === mine && setState(s);
    set({ phase: 'uploading', sent: 0, total: file.size });
    const follow = async (id: string) => {
      for (;;) {
        const now = await unwrap(
          client.GET('/api/v1/customers/imports/{id}', { params: { path: { id } } }),
        );
        if (run.current !== mine) return;
        if (now.status !== 'running') return set({ phase: 'done', import: now });
        set({ phase: 'importing', import: now });
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    unwrap(
      client.POST('/api/v1/customers/imports', {
        params: { query: { filename: file.name } },
        // The file's bytes as they are: the body is not JSON.
        body: file as unknown as string,
        bodySerializer: (body) => body as unknown as BodyInit,
        headers: { 'Content-Type': 'text/csv' },
        fetch: xhrFetch((sent, total) => set({ phase: 'uploading', sent, total })),
      }),
    )
      .then((started) => {
        set({ phase: 'importing', import: { ...started, rejectedRows: [] } });
        return follow(started.id);
      })
      .catch((e: unknown) => set({ phase: 'error', message: (e as Error).message }));
  };
  return { state, start };
}
