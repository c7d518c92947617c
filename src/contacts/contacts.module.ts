import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { ContactsController } from './contacts.controller';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';

/** The marketers' contacts list (issue 19): segments over customers, search, export, at-risk lists. */
@Module({
  imports: [RoutingModule],
  controllers: [ContactsController],
  providers: [ContactsRepository, ContactsService],
})
export class ContactsModule {}
