import { Module } from '@nestjs/common';
import { ContactBudgetController } from './contact-budget.controller';
import { ContactBudgetService } from './contact-budget.service';
import { SettingsRepository } from '../settings/settings.repository';
import { RoutingDefaultsController } from './routing-defaults.controller';
import { RoutingContextLoader } from './routing-context.loader';
import { RoutingContextRepository } from './routing-context.repository';
import { RoutingPolicyProvider } from './routing-policy';
import { RoutingService } from './routing.service';
import { CircuitBreakerModule } from './circuit-breaker';
import { TemplatesModule } from '../templates/templates.module';
import { PastSendsRepository } from './simulation/past-sends.repository';
import { PolicySimulatorController } from './simulation/policy-simulator.controller';
import { PolicySimulatorService } from './simulation/policy-simulator.service';

@Module({
  imports: [TemplatesModule, CircuitBreakerModule],
  controllers: [ContactBudgetController, RoutingDefaultsController, PolicySimulatorController],
  providers: [
    ContactBudgetService,
    SettingsRepository,
    RoutingContextRepository,
    RoutingContextLoader,
    RoutingPolicyProvider,
    RoutingService,
    PastSendsRepository,
    PolicySimulatorService,
  ],
  exports: [RoutingService, RoutingPolicyProvider, RoutingContextRepository],
})
export class RoutingModule {}
