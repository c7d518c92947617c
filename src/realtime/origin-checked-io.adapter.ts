import type { INestApplicationContext } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import { firstHeader, refuseOrigin, type OriginRules } from './origin-policy';
import { RedisIoAdapter } from './redis-io.adapter';

/**
 * The socket.io adapter with each namespace's handshake checked against the origin rules
 * (origin-policy.ts) before any gateway sees the connection: a refused page gets a connect_error
 * naming its origin, and no visitor, customer or agent session is made for it.
 */
export class OriginCheckedIoAdapter extends RedisIoAdapter {
  private readonly rules: OriginRules;

  constructor(app: INestApplicationContext, config: AppConfig) {
    super(app, config);
    this.rules = {
      publicOrigin: new URL(config.publicUrl).origin,
      allowed: config.env.ALLOWED_ORIGINS,
      openWhenUnset: ['/chat'],
    };
  }

  override create(port: number, options?: Parameters<RedisIoAdapter['create']>[1]) {
    const created = super.create(port, options) as unknown;
    const namespace = (options as { namespace?: unknown } | undefined)?.namespace;
    if (typeof namespace === 'string') {
      (created as Namespace).use((socket: Socket, next: (err?: Error) => void) => {
        const headers = socket.handshake.headers;
        const why = refuseOrigin(
          {
            namespace,
            origin: firstHeader(headers.origin),
            // Host only: a page's script cannot set it, where it could add X-Forwarded-Host.
            host: firstHeader(headers.host),
          },
          this.rules,
        );
        next(why === null ? undefined : new Error(why));
      });
    }
    return created as ReturnType<RedisIoAdapter['create']>;
  }
}
