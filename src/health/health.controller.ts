import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { ChannelRegistry } from '../channels/channel-registry';
import { AppConfig } from '../config/app-config';
import { CircuitBreaker } from '../delivery/circuit-breaker';
import { JobQueueService } from '../queue/job-queue.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly queue: JobQueueService,
    private readonly channels: ChannelRegistry,
    private readonly config: AppConfig,
    private readonly breaker: CircuitBreaker,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const r = await this.db.pingCheck('database', { timeout: 3000 });
        return {
          database: { ...r.database, mode: this.config.embeddedDatabase ? 'embedded' : 'postgres' },
        };
      },
      async () => {
        const q = this.indicators.check('queue');
        try {
          await this.queue.ping();
          return q.up({ driver: this.queue.driverKind, pending: await this.queue.counts() });
        } catch (e) {
          return q.down({ driver: this.queue.driverKind, message: (e as Error).message });
        }
      },
      () => {
        const c = this.indicators.check('channels');
        const details = Object.fromEntries(
          this.channels.all().map((a) => [
            a.channel,
            {
              ...(a.health?.() ?? { status: 'up', transport: a.transport }),
              // The provider as this instance's sends found it; a failing provider is not a
              // failing instance, so it does not turn the check down.
              circuit: this.breaker.health(a.channel),
            },
          ]),
        );
        const down = Object.values(details).some(
          (d) => d.status === 'down' && d.transport === 'live',
        );
        return down ? c.down(details) : c.up(details);
      },
    ]);
  }
}
