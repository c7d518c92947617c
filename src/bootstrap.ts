import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AddressInfo } from 'net';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './http/http-exception.filter';
import { probeSessions } from './common/prepared-query';
import { createPino, PinoNestLogger } from './common/logging/pino-logger';
import { httpAdapter, installRequestHooks, useBodyParsers } from './http/http-server';
import { useSecurityHeaders } from './common/http/security-headers';
import { AppConfig } from './config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/run-migrations';
import { MetricsService } from './metrics/metrics.service';
import { waitForRedis } from './queue/redis-options';
import { OriginCheckedIoAdapter } from './realtime/origin-checked-io.adapter';
import { mountStatic } from './web/static';

export interface RunningHub {
  app: INestApplication;
  config: AppConfig;
  url: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Boots the hub from an environment: database (or embedded PGlite), migrations, Nest app, HTTP. */
export async function bootstrap(
  env: Record<string, string | undefined>,
  opts: { listen?: boolean; logDestination?: DestinationStream } = {},
): Promise<RunningHub> {
  const config = AppConfig.load(env);
  const pino = createPino(config.env.LOG_LEVEL, opts.logDestination);
  const logger = new PinoNestLogger(pino);
  const log = new Logger('Hub');
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(
      config.env.DATA_DIR === ':memory:' ? undefined : config.env.DATA_DIR,
    );
    databaseUrl = embedded.url;
  }
  const ran = await runMigrations(databaseUrl, Boolean(embedded));
  // Queues, workers and socket.io's clients are made once Redis answers (see waitForRedis).
  if (config.env.REDIS_URL) await waitForRedis(config.env.REDIS_URL, logger);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl),
    httpAdapter(config),
    { logger, rawBody: true },
  );
  Logger.overrideLogger(logger);
  await probeSessions(app.get(DataSource), config.env.DATABASE_PREPARED_STATEMENTS);
  useBodyParsers(app, config);
  installRequestHooks(app, pino, app.get(MetricsService));
  await useSecurityHeaders(app);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useWebSocketAdapter(new OriginCheckedIoAdapter(app, config));
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Omnichannel communication hub')
      .setDescription('One customer timeline across email, SMS, voice, WeChat and live chat.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs/openapi.json' });
  await mountStatic(app);
  app.enableShutdownHooks();

  let url = config.publicUrl;
  if (opts.listen !== false) {
    await app.listen(config.port, config.env.HOST);
    const port = (app.getHttpServer().address() as AddressInfo).port;
    url = `http://localhost:${port}`;
  } else {
    await app.init();
  }
  const dbMode = embedded ? `embedded PGlite (${embedded.dataDir})` : 'PostgreSQL (DATABASE_URL)';
  const queueMode = config.inProcessQueue
    ? 'in-process queue (no REDIS_URL)'
    : 'BullMQ on Redis (REDIS_URL)';
  log.log(
    `mode: ${dbMode}, ${queueMode}, role ${config.env.PROCESS_ROLE}${ran.length ? `; migrations run: ${ran.join(', ')}` : ''}`,
  );
  return {
    app,
    config,
    url,
    databaseUrl,
    async close() {
      await app.close();
      await embedded?.stop();
    },
  };
}
