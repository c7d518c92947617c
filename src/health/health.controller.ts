import { Controller, Get, Res, UseInterceptors } from '@nestjs/common';
import { ApiTags, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ChannelRegistry } from '../channels/channel-registry';
import { AppConfig } from '../config/app-config';
import { CircuitBreaker } from '../routing/circuit-breaker';
import { HealthDetailsBehindToken } from '../metrics/operations-access';
import { JobQueueService } from '../queue/job-queue.service';
import { HEALTH_CHECK_TIMEOUT_MS, runHealthChecks, type PartHealth } from './health-checks';
import { HealthRepository } from './health.repository';
import { ApiZodResponse } from '../common/http/zod-body';
import { HealthResponse } from './health.responses';

/**
 * GET /health: the database, the queue, each channel (and the read replica), checked at once and each within its
 * own timeout, so the answer comes within 2 s whatever is down. 200 `{status: 'ok', info, error,
 * details}` when every part is up; 503 with `message` naming each part that is down (and why)
 * otherwise.
 */
@ApiTags('operations')
@Controller('health')
@UseInterceptors(HealthDetailsBehindToken)
export class HealthController {
  constructor(
    private readonly db: HealthRepository,
    private readonly queue: JobQueueService,
    private readonly channels: ChannelRegistry,
    private readonly config: AppConfig,
    private readonly breaker: CircuitBreaker,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Health of the database, the queue and the channels' })
  @ApiZodResponse(200, 'Every part is up', HealthResponse)
  @ApiZodResponse(503, 'A part is down (message names it)', HealthResponse)
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    const mode = this.config.embeddedDatabase ? 'embedded' : 'postgres';
    const driver = this.queue.driverKind;
    // The queue is checked through the same connection as its jobs: through the Sentinels, if set.
    const via = this.config.env.REDIS_SENTINELS?.length
      ? { sentinelMaster: this.config.env.REDIS_SENTINEL_NAME }
      : {};
    const report = await runHealthChecks({
      database: async () => {
        await this.db.ping();
        return { status: 'up', mode };
      },
      queue: async () => {
        await this.queue.ping();
        return { status: 'up', driver, ...via, pending: await this.queue.counts() };
      },
      channels: () => this.channelsHealth(),
      ...(this.db.replicaConfigured ? { replica: () => this.replicaHealth() } : {}),
    });
    // A part that is down says what it is, as an up one does.
    if (report.error.database) Object.assign(report.error.database, { mode });
    if (report.error.queue) Object.assign(report.error.queue, { driver, ...via });
    if (report.status === 'ok') return report;
    void reply.status(503);
    return { statusCode: 503, ...report };
  }

  /**
   * The read replica (DATABASE_REPLICA_URL): up with its lag, or degraded (never down: its reads
   * then go to the primary, so the instance still serves everything). Within its own bound.
   */
  private async replicaHealth(): Promise<PartHealth> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const status = await Promise.race([
        this.db.replicaStatus(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${REPLICA_CHECK_TIMEOUT_MS} ms`)),
            REPLICA_CHECK_TIMEOUT_MS,
          );
        }),
      ]);
      return { status: 'up', ...status };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { status: 'degraded', message: `unreachable (${why}): reads go to the primary` };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Each adapter's own view (each within its own, shorter, timeout) and its circuit; the part is
   * down only when a live transport is down.
   */
  private async channelsHealth(): Promise<PartHealth> {
    const adapters = this.channels.all();
    const views = await runHealthChecks(
      Object.fromEntries(
        adapters.map((a) => [
          a.channel,
          () => ({ ...(a.health?.() ?? { status: 'up' as const, transport: a.transport }) }),
        ]),
      ),
      CHANNEL_CHECK_TIMEOUT_MS,
    );
    const details = Object.fromEntries(
      adapters.map((a) => [
        a.channel,
        {
          transport: a.transport,
          ...views.details[a.channel],
          // The provider as this instance's sends found it; a failing provider is not a
          // failing instance, so it does not turn the check down.
          circuit: this.breaker.health(a.channel),
        },
      ]),
    );
    const down = Object.entries(details).filter(
      ([, d]) => d.status === 'down' && d.transport === 'live',
    );
    return down.length
      ? { ...details, status: 'down', message: `${down.map(([c]) => c).join(', ')} down` }
      : { ...details, status: 'up' };
  }
}

/** Inside the part's bound, so a replica that hangs is degraded rather than down. */
const REPLICA_CHECK_TIMEOUT_MS = HEALTH_CHECK_TIMEOUT_MS - 300;

/** Inside the channels part's own bound, so a slow adapter is named rather than the whole part. */
const CHANNEL_CHECK_TIMEOUT_MS = HEALTH_CHECK_TIMEOUT_MS - 300;
