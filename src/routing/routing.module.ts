import { Module } from '@nestjs/common';
import { RoutingContextLoader } from './routing-context.loader';
import { RoutingPolicyProvider } from './routing-policy';
import { RoutingService } from './routing.service';
import { CircuitBreakerModule } from './circuit-breaker';
import { TemplatesModule } from '../templates/templates.module';

@Module({
  imports: [TemplatesModule, CircuitBreakerModule],
  providers: [RoutingContextLoader, RoutingPolicyProvider, RoutingService],
  exports: [RoutingService, RoutingPolicyProvider],
})
export class RoutingModule {}
