import { applyDecorators, Body, Query, type PipeTransform, UsePipes } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
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

/** Applies method decorators from a parameter decorator: both see the same handler function. */
function documentHandler(
  target: object,
  key: string | symbol | undefined,
  decorators: MethodDecorator[],
): void {
  if (key === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor) for (const d of decorators) d(target, key, descriptor);
}

/** The request body, validated by a zod schema that also documents it in OpenAPI. */
export const ZodBody =
  <T>(schema: ZodType<T>): ParameterDecorator =>
  (target, key, index) => {
    Body(new ZodPipe(schema))(target, key, index);
    documentHandler(target, key, [ApiBody({ schema: openApiSchema(schema) })]);
  };

/** The query string, validated by a zod object schema whose properties become documented parameters. */
export const ZodQuery =
  <T>(schema: ZodType<T>): ParameterDecorator =>
  (target, key, index) => {
    Query(new ZodPipe(schema))(target, key, index);
    documentHandler(target, key, queryParameters(schema));
  };

function queryParameters(schema: ZodType): MethodDecorator[] {
  const doc = openApiSchema(schema) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(doc.properties ?? {}).map(([name, property]) =>
    ApiQuery({
      name,
      required: doc.required?.includes(name) ?? false,
      description: property.description,
      schema: property as object,
    }),
  );
}

/**
 * A zod schema as the OpenAPI 3.0 document (the one @nestjs/swagger builds) reads it. zod's
 * default target is JSON Schema 2020-12, whose `type: "null"`, type lists and `$schema` mean
 * nothing to OpenAPI 3.0: Swagger UI showed them as "Unknown Type" in its examples.
 */
export function openApiSchema(schema: ZodType, io: 'input' | 'output' = 'input'): object {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    unrepresentable: 'any',
    io,
  });
  return rest;
}

export const ApiZodBody = (schema: ZodType) =>
  applyDecorators(ApiBody({ schema: openApiSchema(schema) }));
/** Where ApiZodResponse leaves each handler's response schemas, by status, for ResponseShapeInterceptor. */
export const RESPONSE_SCHEMAS = 'hub:response-schemas';

/**
 * A JSON response documented by the zod schema of its shape (the output side of transforms). The
 * schema is also kept on the handler so tests can check every response against it.
 */
export const ApiZodResponse =
  (status: number, description: string, schema: ZodType): MethodDecorator =>
  (target, key, descriptor) => {
    const handler = descriptor.value as object;
    const schemas = new Map<number, ZodType>(Reflect.getMetadata(RESPONSE_SCHEMAS, handler) ?? []);
    schemas.set(status, schema);
    Reflect.defineMetadata(RESPONSE_SCHEMAS, schemas, handler);
    ApiResponse({ status, description, schema: openApiSchema(schema, 'output') })(
      target,
      key,
      descriptor,
    );
  };
export { UsePipes };
