import { applyDecorators, Body, Query, type PipeTransform, UsePipes } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { z, type ZodType } from 'zod';
import { DomainError } from '../errors/domain-error';

/** Turns zod issues into one message naming each bad field: `identities.0.address: invalid email`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.length ? i.path.join('.') : 'body';
      return `${path}: ${i.message}`;
    })
    .join('; ');
}

export function parseOrThrow<T>(schema: ZodType<T>, value: unknown): T {
  const res = schema.safeParse(value);
  if (!res.success) throw new DomainError('bad_request', describeZodError(res.error));
  return res.data;
}

export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: ZodType<T>) {}
  transform(value: unknown): T {
    return parseOrThrow(this.schema, value ?? {});
  }
}

/** The request body, validated by a zod schema that also documents it in OpenAPI. */
export const ZodBody = <T>(schema: ZodType<T>) => Body(new ZodPipe(schema));
export const ZodQuery = <T>(schema: ZodType<T>) => Query(new ZodPipe(schema));
export const ApiZodBody = (schema: ZodType) =>
  applyDecorators(
    ApiBody({ schema: z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as object }),
  );
export { UsePipes };
