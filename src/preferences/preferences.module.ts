import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConsentModule } from '../consent/consent.module';
import { CustomersModule } from '../customers/customers.module';
import { MessagesModule } from '../messages/messages.module';
import { TrackingModule } from '../tracking/tracking.module';
import { PreferenceCentreController } from './preference-centre.controller';
import { PreferenceCentreService } from './preference-centre.service';
import { PreferenceLinkController } from './preference-link.controller';
import { UnsubscribePageController } from './unsubscribe-page.controller';

/** The customer's own pages: the preference centre (/p/:token) and the unsubscribe page (/u/:token). */
@Module({
  imports: [CustomersModule, ConsentModule, MessagesModule, TrackingModule, AuditModule],
  controllers: [PreferenceCentreController, UnsubscribePageController, PreferenceLinkController],
  providers: [PreferenceCentreService],
})
export class PreferencesModule {}
