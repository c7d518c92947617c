import { Injectable } from '@nestjs/common';
import type { SandboxSink } from './channel-port';
import {
  SandboxSendsRepository,
  type SandboxSend,
  type SandboxSent,
} from './sandbox-sends.repository';

/** Persists what sandbox transports send, for GET /api/v1/sandbox/outbox. */
@Injectable()
export class SandboxSinkService implements SandboxSink {
  constructor(private readonly sends: SandboxSendsRepository) {}

  record(sent: SandboxSent): Promise<void> {
    return this.sends.record(sent);
  }

  list(filter: { channel?: string; to?: string; limit: number }): Promise<SandboxSend[]> {
    return this.sends.list(filter);
  }
}
