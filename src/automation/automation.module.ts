import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { InboxModule } from '../inbox/inbox.module';
import { TemplatesModule } from '../templates/templates.module';
import { AutomationActionsService } from './automation-actions.service';
import { AutomationEngine } from './automation-engine.service';
import { AutomationFactsRepository } from './automation-facts.repository';
import { AutomationReferences } from './automation-references';
import { AutomationRulesController } from './automation-rules.controller';
import { AutomationRulesRepository } from './automation-rules.repository';
import { MacrosController } from './macros.controller';
import { MacrosRepository } from './macros.repository';
import { MacrosService } from './macros.service';

/** Automation rules and macros, acting through the inbox's own services (inbox never imports this). */
@Module({
  imports: [InboxModule, DeliveryModule, TemplatesModule],
  controllers: [AutomationRulesController, MacrosController],
  providers: [
    AutomationRulesRepository,
    MacrosRepository,
    AutomationFactsRepository,
    AutomationReferences,
    AutomationActionsService,
    AutomationEngine,
    MacrosService,
  ],
})
export class AutomationModule {}
