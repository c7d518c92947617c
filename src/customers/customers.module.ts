import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationsModule } from '../conversations/conversations.module';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { Customer } from './entities/customer.entity';
import { CustomerIdentity } from './entities/customer-identity.entity';
import { AuditModule } from '../audit/audit.module';
import { ConsentModule } from '../consent/consent.module';

@Module({
  imports: [
    ConsentModule,
    AuditModule,
    TypeOrmModule.forFeature([Customer, CustomerIdentity]),
    ConversationsModule,
  ],
  controllers: [CustomersController],
  providers: [CustomersService],
  exports: [CustomersService],
})
export class CustomersModule {}
