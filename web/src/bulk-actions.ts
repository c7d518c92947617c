import { client, unwrap } from './api/client';
import type { AnswerOf, BodyOf } from './api/answers';

type Bulk = BodyOf<'/api/v1/conversations/bulk', 'post'>;

export type BulkAction = Bulk['action'];

export type BulkResult = AnswerOf<'/api/v1/conversations/bulk', 'post'>['results'][number];

/** One action on many conversations; the server answers each id (partial failures included). */
export async function runBulk(ids: string[], action: BulkAction): Promise<BulkResult[]> {
  const res = await unwrap(client.POST('/api/v1/conversations/bulk', { body: { ids, action } }));
  return res.results;
}
