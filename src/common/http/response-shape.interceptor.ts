import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  InternalServerErrorException,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { map, type Observable } from 'rxjs';
import type { ZodType } from 'zod';
import { describeZodError, RESPONSE_SCHEMAS } from './zod-body';

/**
 * Checks each JSON response against the schema its route documents (ApiZodResponse), so the
 * OpenAPI document, and the web app's client generated from it, cannot drift from what the
 * server sends. On in tests (API_VALIDATE_RESPONSES); a mismatch is a 500 naming the fields.
 */
@Injectable()
export class ResponseShapeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const schema = this.schemaFor(context);
    if (!schema) return next.handle();
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    return next.handle().pipe(
      map((body: unknown) => {
        // What the client receives: dates as strings, undefined properties gone.
        const wire: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
        const res = schema.safeParse(wire);
        if (!res.success) {
          throw new InternalServerErrorException(
            `${route} answered outside its documented schema: ${describeZodError(res.error)}`,
          );
        }
        return body;
      }),
    );
  }

  private schemaFor(context: ExecutionContext): ZodType | undefined {
    const handler = context.getHandler();
    const schemas = Reflect.getMetadata(RESPONSE_SCHEMAS, handler) as
      Map<number, ZodType> | undefined;
    if (!schemas?.size) return undefined;
    const method = context.switchToHttp().getRequest<{ method: string }>().method;
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
      (method === 'POST' ? 201 : 200);
    return schemas.get(status) ?? (schemas.size === 1 ? [...schemas.values()][0] : undefined);
  }
}
