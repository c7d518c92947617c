import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The hub's Prometheus registry: one per app instance (tests boot several in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly inboundMessages = new Counter({
    name: 'hub_inbound_messages_total',
    help: 'Inbound messages put on the timeline, by channel',
    labelNames: ['channel'],
    registers: [this.registry],
  });
  readonly outboundMessages = new Counter({
    name: 'hub_outbound_messages_total',
    help: 'Outbound send attempts, by channel and outcome',
    labelNames: ['channel', 'outcome'],
    registers: [this.registry],
  });
  readonly webhookRejections = new Counter({
    name: 'hub_webhook_rejections_total',
    help: 'Webhook requests refused, by source and reason',
    labelNames: ['source', 'reason'],
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'hub_jobs_total',
    help: 'Queued jobs run, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    registers: [this.registry],
  });

  private readonly connectionCounts = new Map<string, () => number>();
  readonly realtimeConnections = new Gauge({
    name: 'hub_realtime_connections',
    help: 'socket.io connections open on this instance, by namespace',
    labelNames: ['namespace'],
    registers: [this.registry],
    collect: () => {
      for (const [namespace, count] of this.connectionCounts)
        this.realtimeConnections.set({ namespace }, count());
    },
  });

  /** A gateway tells how to count its namespace's open connections, read at each scrape. */
  countConnections(namespace: string, count: () => number): void {
    this.connectionCounts.set(namespace, count);
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
  }
}
