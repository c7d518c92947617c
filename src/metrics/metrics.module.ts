import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { HealthDetailsBehindToken, OperationsAccess } from './operations-access';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, OperationsAccess, HealthDetailsBehindToken],
  exports: [MetricsService, OperationsAccess, HealthDetailsBehindToken],
})
export class MetricsModule {}
