import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { CustomersController } from './customers.controller';
import { CustomerMergeRepository } from './customer-merge.repository';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { AuditModule } from '../audit/audit.module';
import { ConsentModule } from '../consent/consent.module';
import { IdentityOwnersRepository } from './identity-owners.repository';

@Module({
  imports: [ConsentModule, AuditModule, ConversationsModule],
  controllers: [CustomersController],
  providers: [
    CustomersService,
    CustomersRepository,
    CustomerMergeRepository,
    IdentityOwnersRepository,
  ],
  exports: [CustomersService, IdentityOwnersRepository],
})
export class CustomersModule {}
