import { Module } from '@nestjs/common';
import { RoutingContextLoader } from './routing-context.loader';
import { RoutingPolicyProvider } from './routing-policy';
import { RoutingService } from './routing.service';

@Module({
  providers: [RoutingContextLoader, RoutingPolicyProvider, RoutingService],
  exports: [RoutingService, RoutingPolicyProvider],
})
export class RoutingModule {}
