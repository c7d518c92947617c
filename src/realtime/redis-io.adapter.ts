import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { redisConnectionLog, redisKeyPrefix, redisTarget } from '../queue/redis-options';

/**
 * socket.io on the Redis adapter when the hub has Redis (REDIS_URL or REDIS_SENTINELS), so a room emit on one instance reaches
 * sockets connected to every other instance (all namespaces: /agents, /chat). Without Redis it
 * is the plain in-memory adapter.
 */
export class RedisIoAdapter extends IoAdapter {
  private clients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(
    port: number,
    options?: Parameters<IoAdapter['createIOServer']>[1],
  ): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(port, options);
    const redis = redisTarget(this.config.env);
    if (redis) {
      // Auto-pipelined: the emits of one tick (a batch of sends settling together) leave in one write.
      const pub = new Redis({
        ...redis.options,
        maxRetriesPerRequest: 3,
        enableAutoPipelining: true,
      });
      // The subscriber waits for Redis however long it takes: a SUBSCRIBE that failed (after a
      // few retries while Redis was slow to answer at start) is never renewed on reconnect, and
      // the instance would hear no other instance's emits for the rest of its life.
      const sub = pub.duplicate({ enableAutoPipelining: false, maxRetriesPerRequest: null });
      // A dropped connection is logged once per reconnect attempt with every other client's
      // (ioredis reconnects), never an unhandled 'error' event.
      const onError = redisConnectionLog.listener(redis);
      for (const c of [pub, sub]) c.on('error', onError);
      // A publish racing shutdown must not become an unhandled rejection.
      const publish = pub.publish.bind(pub) as (...a: unknown[]) => Promise<number>;
      (pub as unknown as { publish: (...a: unknown[]) => Promise<number> }).publish = (...a) =>
        publish(...a).catch(() => 0);
      this.clients.push(pub, sub);
      // @nestjs/platform-socket.io carries its own socket.io copy; both share socket.io-adapter 2.x at runtime.
      server.adapter(
        createAdapter(pub, sub, {
          // Hash-tagged: every channel of the adapter (`{hub}:socket.io#/agents#...`) in one slot.
          key: `${redisKeyPrefix(this.config.env.QUEUE_PREFIX)}:socket.io`,
          requestsTimeout: 3000,
        }) as never,
      );
    }
    return server;
  }

  override async dispose(): Promise<void> {
    const clients = this.clients;
    this.clients = [];
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
