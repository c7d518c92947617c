import { Module } from '@nestjs/common';
import { TrackingController } from './tracking.controller';
import { TrackingService } from './tracking.service';
import { UnsubscribeService } from './unsubscribe.service';

/** Open pixel, signed click links, SMS short links and one-click unsubscribe. */
@Module({
  controllers: [TrackingController],
  providers: [TrackingService, UnsubscribeService],
  exports: [TrackingService],
})
export class TrackingModule {}
