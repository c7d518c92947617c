import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ChannelsModule } from '../channels/channels.module';
import { ChecklistController } from './checklist.controller';
import { SetupFactsRepository } from './setup-facts.repository';

/** The first-run checklist an admin sees until the hub is set up. */
@Module({
  imports: [AuthModule, ChannelsModule],
  controllers: [ChecklistController],
  providers: [SetupFactsRepository],
})
export class SetupModule {}
