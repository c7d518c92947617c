import { Injectable } from '@nestjs/common';
import type { NormalizedInbound } from '../channels/channel-port';
import { IngestService, type IngestResult } from './ingest.service';

/** A step run after a message is on the timeline (SMS keywords, CSAT replies, bounces...). */
export type InboundHook = (inbound: NormalizedInbound, result: IngestResult) => Promise<void>;

/**
 * Where every channel's inbound traffic enters the core: webhooks, the SMTP receiver, the
 * chat gateway and the sandbox all call receive(). Channel modules register their hooks.
 */
@Injectable()
export class InboundService {
  private readonly hooks: InboundHook[] = [];

  constructor(private readonly ingest: IngestService) {}

  addHook(hook: InboundHook): void {
    this.hooks.push(hook);
  }

  async receive(inbound: NormalizedInbound): Promise<IngestResult> {
    const result = await this.ingest.ingest(inbound);
    if (result.created) {
      for (const hook of this.hooks) await hook(inbound, result);
    }
    return result;
  }
}
