import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationsModule } from '../conversations/conversations.module';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { Customer } from './entities/customer.entity';
import { IdentityOwnersRepository } from './identity-owners.repository';
import { CustomerIdentity } from './entities/customer-identity.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Customer, CustomerIdentity]), ConversationsModule],
  controllers: [CustomersController],
  providers: [CustomersService, IdentityOwnersRepository],
  exports: [CustomersService, IdentityOwnersRepository],
})
export class CustomersModule {}
