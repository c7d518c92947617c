import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module';
import { AgentEventsForwarder } from './agent-events.forwarder';
import { AgentEventsRepository } from './agent-events.repository';
import { AgentsGateway } from './agents.gateway';
import { PresenceController } from './presence.controller';
import { PresenceRepository } from './presence.repository';
import { PresenceService } from './presence.service';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';

/** socket.io for agents (/agents); the Redis adapter is installed in bootstrap (RedisIoAdapter). */
@Module({
  imports: [ConversationsModule, AuthModule, InboxModule],
  controllers: [PresenceController],
  providers: [
    AgentsGateway,
    AgentEventsRepository,
    AgentEventsForwarder,
    PresenceRepository,
    PresenceService,
  ],
  exports: [PresenceService],
})
export class RealtimeModule {}
