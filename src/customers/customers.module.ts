import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { CustomerActivityController } from './customer-activity.controller';
import { CustomerActivityRepository } from './customer-activity.repository';
import { CustomersController } from './customers.controller';
import { CustomerDuplicatesRepository } from './customer-duplicates.repository';
import { CustomerDuplicatesService } from './customer-duplicates.service';
import { CustomerMergeRepository } from './customer-merge.repository';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { AuditModule } from '../audit/audit.module';
import { ConsentModule } from '../consent/consent.module';
import { IdentityOwnersRepository } from './identity-owners.repository';
import { PreferenceChangesRepository } from './preference-changes.repository';

@Module({
  imports: [ConsentModule, AuditModule, ConversationsModule],
  controllers: [CustomersController, CustomerActivityController],
  providers: [
    CustomersService,
    CustomersRepository,
    CustomerActivityRepository,
    CustomerMergeRepository,
    CustomerDuplicatesRepository,
    CustomerDuplicatesService,
    IdentityOwnersRepository,
    PreferenceChangesRepository,
  ],
  exports: [CustomersService, IdentityOwnersRepository],
})
export class CustomersModule {}
