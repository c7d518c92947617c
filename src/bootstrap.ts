import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { existsSync } from 'fs';
import type { AddressInfo } from 'net';
import { resolve } from 'path';
import type { DestinationStream, Logger as Pino } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './http/http-exception.filter';
import { buildOpenApiDocument } from './http/openapi-document';
import { ResponseShapeInterceptor } from './common/http/response-shape.interceptor';
import { probeSessions } from './common/prepared-query';
import { createPino, PinoNestLogger } from './common/logging/pino-logger';
import { httpAdapter, installRequestHooks, useBodyParsers } from './http/http-server';
import { useSecurityHeaders } from './common/http/security-headers';
import { AppConfig } from './config/app-config';
import { UsersService } from './auth/users.service';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/run-migrations';
import { MetricsService } from './metrics/metrics.service';
import { redisTarget, waitForRedis } from './queue/redis-options';
import { OriginCheckedIoAdapter } from './realtime/origin-checked-io.adapter';
import { mountStatic } from './web/static';

export interface RunningHub {
  app: INestApplication;
  config: AppConfig;
  url: string;
  databaseUrl: string;
  /** The first admin, when this process serves the API; the password only when this start generated it. */
  admin?: { email: string; generatedPassword?: string };
  close(): Promise<void>;
}

/** Logs `still <doing> (n s)…` every 10 s until the work ends: a long wait never looks like a hang. */
async function withHeartbeat<T>(log: StepLog, doing: string, work: Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(
    () => log.log(`still ${doing} (${Math.round((Date.now() - started) / 1000)} s)…`),
    10_000,
  );
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

type StepLog = { log(message: string): void };

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * Boots the hub from an environment: database (or embedded PGlite), migrations, Nest app, HTTP.
 * Each step says what it is doing at the default log level, so a slow first start never looks
 * stuck; the caller prints the URL and the login once this resolves (see ready-banner.ts).
 */
export async function bootstrap(
  env: Record<string, string | undefined>,
  opts: {
    listen?: boolean;
    logDestination?: DestinationStream;
    pino?: Pino;
    /** false: leave the first admin alone (a CLI command that is about users itself). */
    ensureAdmin?: boolean;
  } = {},
): Promise<RunningHub> {
  const config = AppConfig.load(env);
  const pino = opts.pino ?? createPino(config.env.LOG_LEVEL, opts.logDestination);
  const logger = new PinoNestLogger(pino);
  // Through the hub's own logger from the first line (Nest's Logger is not pointed at it yet).
  const log = { log: (message: string) => logger.log(message, 'Hub') };
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbedded(config.env.DATA_DIR, log);
    databaseUrl = embedded.url;
  }
  log.log('Running database migrations…');
  const migrating = Date.now();
  const ran = await runMigrations(
    embedded ? databaseUrl : (config.env.DATABASE_MIGRATIONS_URL ?? databaseUrl),
    Boolean(embedded),
  );
  log.log(
    ran.length
      ? `Migrations run in ${seconds(migrating)}: ${ran.join(', ')}`
      : 'Database schema up to date',
  );
  // Queues, workers and socket.io's clients are made once Redis answers (see waitForRedis).
  const redis = redisTarget(config.env);
  if (redis) {
    log.log(`Connecting to Redis (${redis.endpoint})…`);
    await waitForRedis(redis, logger);
  }
  const dbMode = embedded ? `embedded PGlite (${embedded.dataDir})` : 'PostgreSQL (DATABASE_URL)';
  const queueMode = config.inProcessQueue
    ? 'in-process queue (no REDIS_URL)'
    : `BullMQ on Redis (${config.env.REDIS_SENTINELS?.length ? 'REDIS_SENTINELS' : 'REDIS_URL'})`;
  log.log(
    `Starting the application, queue and workers; mode: ${dbMode}, ${queueMode}, role ${config.env.PROCESS_ROLE}…`,
  );
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
  if (config.env.API_VALIDATE_RESPONSES) app.useGlobalInterceptors(new ResponseShapeInterceptor());
  app.useWebSocketAdapter(new OriginCheckedIoAdapter(app, config));
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  await mountStatic(app);
  app.enableShutdownHooks();
  await app.init();

  let admin: RunningHub['admin'];
  if (config.runsApi && opts.ensureAdmin !== false) {
    const created = await app
      .get(UsersService)
      .ensureAdmin(config.adminEmail, config.adminPassword, config.adminPasswordGenerated);
    admin = {
      email: config.adminEmail,
      generatedPassword:
        created && config.adminPasswordGenerated ? config.adminPassword : undefined,
    };
  }

  let url = config.publicUrl;
  if (opts.listen !== false) {
    await app.listen(config.port, config.env.HOST);
    const port = (app.getHttpServer().address() as AddressInfo).port;
    url = `http://localhost:${port}`;
    log.log(`Listening on ${config.env.HOST}:${port}`);
  }
  return {
    app,
    config,
    url,
    databaseUrl,
    admin,
    async close() {
      await app.close();
      await embedded?.stop();
    },
  };
}

/** The embedded PGlite under DATA_DIR (or in memory), saying how long the wait may be. */
async function startEmbedded(dataDir: string, log: StepLog): Promise<EmbeddedPostgres> {
  const inMemory = dataDir === ':memory:';
  const firstStart = !inMemory && !existsSync(resolve(dataDir, 'pglite'));
  log.log(
    inMemory
      ? 'Starting the embedded PostgreSQL (PGlite) in memory…'
      : firstStart
        ? `Creating the embedded PostgreSQL (PGlite) in ${dataDir}/ (first start, takes about 30 s)…`
        : `Starting the embedded PostgreSQL (PGlite) in ${dataDir}/…`,
  );
  const started = Date.now();
  const embedded = await withHeartbeat(
    log,
    'starting the embedded PostgreSQL',
    startEmbeddedPostgres(inMemory ? undefined : dataDir),
  );
  log.log(`Embedded PostgreSQL ready in ${seconds(started)}`);
  return embedded;
}
