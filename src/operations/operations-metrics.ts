import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { ChannelRegistry } from '../channels/channel-registry';
import { CircuitBreaker } from '../routing/circuit-breaker';
import { DomainEvents } from '../events/domain-events';
import { channelHealthValue } from './channel-health-value';
import { MetricsService } from '../metrics/metrics.service';
import { OutboxRepository, type OutboxBacklog } from '../queue/outbox.repository';
import { CircuitBreakerModule } from '../routing/circuit-breaker';
import { ChannelsModule } from '../channels/channels.module';

/**
 * What an operator watches besides requests: the queued work and its lag, delivery outcomes as
 * providers report them, SLA breaches, and each channel's health, on the hub's /metrics.
 */
@Injectable()
export class OperationsMetrics implements OnModuleInit {
  private readonly log = new Logger('OperationsMetrics');
  /** The backlog read in flight: a scrape's two gauges, collected together, share one read. */
  private backlog: Promise<OutboxBacklog[]> | null = null;

  constructor(
    private readonly metrics: MetricsService,
    private readonly events: DomainEvents,
    private readonly outbox: OutboxRepository,
    private readonly breaker: CircuitBreaker,
    private readonly channels: ChannelRegistry,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const statuses = new Counter({
      name: 'hub_delivery_statuses_total',
      help: 'Delivery statuses recorded for outbound messages (provider callbacks, reads), by channel and status',
      labelNames: ['channel', 'status'],
      registers,
    });
    this.events.on('message.status', (e) =>
      statuses.inc({ channel: e.channel ?? 'unknown', status: e.status }),
    );
    const breaches = new Counter({
      name: 'hub_sla_breaches_total',
      help: 'SLA breaches (first response, resolution), by kind',
      labelNames: ['kind'],
      registers,
    });
    this.events.on('sla.breached', (e) => breaches.inc({ kind: e.kind }));

    const channels = this.channels;
    const breaker = this.breaker;
    new Gauge({
      name: 'hub_channel_health',
      help: 'Per channel: 1 up, 0.5 degraded, 0 down (the worse of its adapter and its circuit breaker)',
      labelNames: ['channel', 'transport'],
      registers,
      collect() {
        for (const a of channels.all()) {
          const adapter = a.health?.().status ?? 'up';
          this.set(
            { channel: a.channel, transport: a.transport },
            channelHealthValue(adapter, breaker.health(a.channel)),
          );
        }
      },
    });

    const backlog = () => this.readBacklog();
    new Gauge({
      name: 'hub_outbox_jobs',
      help: 'Queued jobs per queue and state: due (waiting for a worker), scheduled (later), running',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const r of await backlog()) {
          this.set({ queue: r.queue, state: 'due' }, r.due);
          this.set({ queue: r.queue, state: 'scheduled' }, r.scheduled);
          this.set({ queue: r.queue, state: 'running' }, r.running);
        }
      },
    });
    new Gauge({
      name: 'hub_outbox_oldest_due_seconds',
      help: 'Per queue: how long its oldest due job has waited for a worker (0 when none waits)',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        for (const r of await backlog()) this.set({ queue: r.queue }, r.oldestDueSeconds);
      },
    });
  }

  /** Never fails a scrape: a database that does not answer shows as no backlog, and is logged. */
  private readBacklog(): Promise<OutboxBacklog[]> {
    this.backlog ??= this.outbox
      .backlog()
      .catch((e: Error) => {
        this.log.warn(`outbox backlog unreadable: ${e.message}`);
        return [];
      })
      .finally(() => (this.backlog = null));
    return this.backlog;
  }
}

@Module({ imports: [ChannelsModule, CircuitBreakerModule], providers: [OperationsMetrics] })
export class OperationsMetricsModule {}
