import { Controller, Get, HttpCode, Module, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { z } from 'zod';
import { ApiZodResponse } from '../../../src/common/http/zod-body';
import { ResponseShapeInterceptor } from '../../../src/common/http/response-shape.interceptor';
import { AllExceptionsFilter } from '../../../src/http/http-exception.filter';

const Thing = z.object({ id: z.string(), at: z.string(), count: z.number().int() });

@Controller('things')
class ThingsController {
  @Get()
  @ApiZodResponse(200, 'A thing', Thing)
  get(@Query('wrong') wrong?: string) {
    return wrong
      ? { id: 1, at: new Date(0), count: 'two' }
      : { id: 'a', at: new Date(0), count: 2 };
  }

  @Post()
  @HttpCode(202)
  @ApiZodResponse(202, 'Accepted', z.object({ accepted: z.literal(true) }))
  @ApiZodResponse(400, 'Refused', z.object({ message: z.string() }))
  accept(@Query('wrong') wrong?: string) {
    return { accepted: !wrong };
  }

  @Get('free')
  free() {
    return { anything: true };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('ResponseShapeInterceptor (API_VALIDATE_RESPONSES)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(ThingsModule, new FastifyAdapter(), {
      logger: false,
    });
    app.useGlobalFilters(new AllExceptionsFilter());
    app.useGlobalInterceptors(new ResponseShapeInterceptor());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const call = (method: 'GET' | 'POST', url: string) => app.inject({ method, url });

  it('lets a documented answer through as sent (dates on the wire as strings)', async () => {
    const r = await call('GET', '/things');
    expect([r.statusCode, r.json()]).toEqual([
      200,
      { id: 'a', at: '1970-01-01T00:00:00.000Z', count: 2 },
    ]);
  });

  it('turns an answer outside its schema into a 500 naming the route and each field', async () => {
    const r = await call('GET', '/things?wrong=1');
    expect(r.statusCode).toBe(500);
    expect(r.json().message).toMatch(
      /ThingsController\.get answered outside its documented schema/,
    );
    expect(r.json().message).toMatch(/id: .*string/);
    expect(r.json().message).toMatch(/count: /);
  });

  it("checks against the schema of the route's own status, and leaves undocumented routes alone", async () => {
    expect((await call('POST', '/things')).statusCode).toBe(202);
    expect((await call('POST', '/things?wrong=1')).statusCode).toBe(500);
    expect((await call('GET', '/things/free')).json()).toEqual({ anything: true });
  });
});
