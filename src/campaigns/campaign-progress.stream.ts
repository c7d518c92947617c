import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainEvents } from '../events/domain-events';
import { CampaignsService } from './campaigns.service';

const POLL_MS = 500;
const TERMINAL = new Set(['completed', 'cancelled']);

/**
 * Live progress of one campaign as server-sent events (`event: progress`): pushed from this
 * process's campaign.progress events and polled from the table for batches other instances run;
 * the stream ends when the campaign completes or is cancelled. (Marketers have no socket.io
 * access: the /agents namespace refuses them.)
 */
@Injectable()
export class CampaignProgressStream {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly events: DomainEvents,
  ) {}

  async stream(id: string, reply: FastifyReply): Promise<void> {
    await this.campaigns.row(id);
    // The stream is written to the Node response itself; Fastify no longer answers this request.
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    let last = '';
    let batches = -1;
    let closed = false;
    const send = (
      status: string,
      p: { batches: number; recipients: number; sent: number; suppressed: number },
    ) => {
      const data = JSON.stringify({ campaignId: id, status, ...p });
      // Two batch runners can report out of order: never step back to an earlier batch count.
      if (data === last || closed || (p.batches < batches && !TERMINAL.has(status))) return;
      last = data;
      batches = Math.max(batches, p.batches);
      res.write(`event: progress\ndata: ${data}\n\n`);
      if (TERMINAL.has(status)) finish();
    };
    const poll = async () => {
      const c = await this.campaigns.get(id);
      send(c.status, c.progress);
    };
    const off = this.events.on('campaign.progress', (e) => {
      if (e.campaignId === id)
        send(e.status, {
          batches: e.batches,
          recipients: e.recipients,
          sent: e.sent,
          suppressed: e.suppressed,
        });
    });
    const timer = setInterval(() => void poll().catch(() => finish()), POLL_MS);
    const finish = () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      off();
      res.end();
    };
    res.on('close', finish);
    await poll();
  }
}
