import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { MetricsService } from './metrics.service';
import { OperationsAccess } from './operations-access';

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly access: OperationsAccess,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(@Req() req: FastifyRequest): Promise<string> {
    if (!this.access.granted(req))
      throw new DomainError(
        'unauthorized',
        'METRICS_TOKEN: send it as Authorization: Bearer <token> or ?token=<token>',
      );
    return this.metrics.registry.metrics();
  }
}
