import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { AddressInfo } from 'net';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/errors/http-exception.filter';
import { createPino, PinoNestLogger } from './common/logging/pino-logger';
import { requestLogging } from './common/logging/request-logging';
import { AppConfig } from './config/app-config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/run-migrations';
import { MetricsService } from './metrics/metrics.service';
import { RedisIoAdapter } from './realtime/redis-io.adapter';
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
  opts: { listen?: boolean } = {},
): Promise<RunningHub> {
  const config = AppConfig.load(env);
  const pino = createPino(config.env.LOG_LEVEL);
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
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, databaseUrl),
    {
      logger,
      rawBody: true,
      bodyParser: true,
    },
  );
  Logger.overrideLogger(logger);
  app.useBodyParser('json', { limit: config.env.BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: config.env.BODY_LIMIT, extended: false });
  // Raw MIME for the e-mail webhook may be as large as an accepted e-mail.
  // The webhook itself answers a precise 413 above EMAIL_MAX_BYTES; the parser only bounds memory.
  app.useBodyParser('text', {
    limit: config.env.EMAIL_MAX_BYTES + 1024 * 1024,
    type: ['message/rfc822', 'text/plain'],
  });
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  const metrics = app.get(MetricsService);
  app.use(requestLogging(pino));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.setHeader('X-Request-Id', String((req as Request & { id?: string }).id ?? ''));
    res.on('finish', () =>
      end({
        route: (req.route as { path?: string } | undefined)?.path ?? 'unmatched',
        status: res.statusCode,
      }),
    );
    next();
  });
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));
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
  mountStatic(app);
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
