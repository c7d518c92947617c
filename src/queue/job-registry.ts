import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JOB_HANDLER, type JobContext, type JobHandlerMeta } from './job-handler.decorator';

export type JobFn = (payload: Record<string, unknown>, ctx: JobContext) => Promise<unknown>;

/** Finds every @JobHandler method at boot: one handler per (queue, name), never two. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, JobFn>();
  private readonly preloadByKey = new Map<string, string>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = (proto as Record<string, unknown>)[method];
        if (typeof fn !== 'function') continue;
        const meta = this.reflector.get<JobHandlerMeta | undefined>(JOB_HANDLER, fn);
        if (!meta) continue;
        const key = `${meta.queue}:${meta.name}`;
        if (this.handlers.has(key)) {
          throw new Error(`job ${key} has two handlers; each job needs exactly one`);
        }
        this.handlers.set(key, (fn as JobFn).bind(instance));
        if (meta.preload) this.preloadByKey.set(key, meta.preload);
      }
    }
  }

  get(queue: string, name: string): JobFn {
    const fn = this.handlers.get(`${queue}:${name}`);
    if (!fn) throw new Error(`job ${queue}:${name} has no handler`);
    return fn;
  }

  /** The preload expression of each job that declares one, by "queue:name". */
  preloads(): ReadonlyMap<string, string> {
    return this.preloadByKey;
  }

  has(queue: string, name: string): boolean {
    return this.handlers.has(`${queue}:${name}`);
  }
}
