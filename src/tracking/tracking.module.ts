import { Module } from '@nestjs/common';
import { TrackingController } from './tracking.controller';
import { TrackingRepository } from './tracking.repository';
import { TrackingService } from './tracking.service';
import { UnsubscribeService } from './unsubscribe.service';
import { AuthModule } from '../auth/auth.module';
import { ConsentModule } from '../consent/consent.module';

/** Open pixel, signed click links, SMS short links and one-click unsubscribe. */
@Module({
  imports: [ConsentModule, AuthModule],
  controllers: [TrackingController],
  providers: [TrackingRepository, TrackingService, UnsubscribeService],
  exports: [TrackingService, UnsubscribeService],
})
export class TrackingModule {}
