import { Module } from '@nestjs/common';
import { RoutingContextLoader } from './routing-context.loader';
import { RoutingContextRepository } from './routing-context.repository';
import { RoutingPolicyProvider } from './routing-policy';
import { RoutingService } from './routing.service';

@Module({
  providers: [
    RoutingContextRepository,
    RoutingContextLoader,
    RoutingPolicyProvider,
    RoutingService,
  ],
  exports: [RoutingService, RoutingPolicyProvider, RoutingContextRepository],
})
export class RoutingModule {}
