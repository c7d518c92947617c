import { Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { RoutingDefaultsResponse } from './routing-defaults.responses';
import { RoutingDefaultsSchema, type RoutingDefaults } from './routing-defaults';
import { RoutingPolicyProvider } from './routing-policy';

/** The routing defaults an admin may change: channel ranking per urgency, caps, fallback times. */
@ApiTags('routing')
@ApiBearerAuth()
@Controller('api/v1/settings/routing-defaults')
export class RoutingDefaultsController {
  constructor(private readonly policy: RoutingPolicyProvider) {}

  @Get()
  @ApiOperation({
    summary: 'The routing defaults in force, where they come from, and the configured ones',
    description:
      "source is 'settings' once an admin stored defaults, else 'environment' (ROUTING_DEFAULT_*, MARKETING_CAP_*, FALLBACK_*).",
  })
  @ApiZodResponse(200, 'The routing defaults', RoutingDefaultsResponse)
  async get() {
    await this.policy.refresh();
    return this.view();
  }

  @Put()
  @ApiOperation({
    summary: 'Store routing defaults (the whole set); every instance applies them within seconds',
    description:
      'defaultRanking: channels per urgency in order of preference; frequencyCap: most marketing messages per customer per day and week; ' +
      'fallbackSeconds: wait before the next channel per urgency (0: no fallback), criticalRead: critical messages not read within it go on too (0: off).',
  })
  @ApiZodResponse(200, 'The routing defaults as stored', RoutingDefaultsResponse)
  @ApiZodBody(RoutingDefaultsSchema)
  async put(@ZodBody(RoutingDefaultsSchema) body: RoutingDefaults) {
    await this.policy.store(body);
    return this.view();
  }

  @Delete()
  @HttpCode(200)
  @ApiOperation({ summary: 'Forget the stored routing defaults: configuration applies again' })
  @ApiZodResponse(200, 'The routing defaults from configuration', RoutingDefaultsResponse)
  async reset() {
    await this.policy.store(null);
    return this.view();
  }

  private view() {
    return { ...this.policy.defaults(), environment: this.policy.environment };
  }
}
