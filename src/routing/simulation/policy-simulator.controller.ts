import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodResponse, ZodBody } from '../../common/http/zod-body';
import {
  SimulateBodySchema,
  SimulationResponse,
  type SimulateBody,
} from './policy-simulator.responses';
import { PolicySimulatorService } from './policy-simulator.service';

/** The policy simulator: proposed routing defaults tried on the last days' sends, before saving. */
@ApiTags('routing')
@ApiBearerAuth()
@Controller('api/v1/routing')
export class PolicySimulatorController {
  constructor(private readonly simulator: PolicySimulatorService) {}

  @Post('simulate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Try routing defaults on the last N days of sends: what would move, what suppressed',
    description:
      'Each routed send of the window (the latest `limit`) is decided again under the defaults in force and under the proposed ones, ' +
      "with the customer's context as at the send (history and consents then; identities, preferences and support facts as now) and at the send's time. " +
      'Both policies see every circuit closed and the templates as they are now. ' +
      'A send moved by the proposal does not change the frequency counts of the later ones. Stores nothing.',
  })
  @ApiZodResponse(200, 'What the proposal would change', SimulationResponse)
  simulate(@ZodBody(SimulateBodySchema) body: SimulateBody) {
    return this.simulator.simulate(body);
  }
}
