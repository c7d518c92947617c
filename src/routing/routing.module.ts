import { Module } from '@nestjs/common';
import { RoutingContextLoader } from './routing-context.loader';
import { RoutingContextRepository } from './routing-context.repository';
import { RoutingPolicyProvider } from './routing-policy';
import { RoutingService } from './routing.service';
import { CircuitBreakerModule } from './circuit-breaker';
import { TemplatesModule } from '../templates/templates.module';

@Module({
  imports: [TemplatesModule, CircuitBreakerModule],
  providers: [
    RoutingContextRepository,
    RoutingContextLoader,
    RoutingPolicyProvider,
    RoutingService,
  ],
  exports: [RoutingService, RoutingPolicyProvider, RoutingContextRepository],
})
export class RoutingModule {}
