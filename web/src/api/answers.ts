// Names for the generated shapes: what a route answers, what it takes.
import type { paths } from './schema';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;

/** The JSON a route answers on success (200, 201, or 202 for work accepted). */
export type AnswerOf<P extends keyof paths, M extends Method> = paths[P][M] extends {
  responses: infer R;
}
  ? { [S in keyof R]: S extends 200 | 201 | 202 ? JsonOf<R[S]> : never }[keyof R]
  : never;

/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? JsonOf<NonNullable<B>>
  : never;
