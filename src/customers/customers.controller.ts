import { Controller, Get, Patch, Post, Put } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { CHANNELS, CONSENT_STATUSES, PURPOSES } from '../common/names';
import { ApiZodBody, ZodBody, ZodQuery } from '../common/http/zod-body';
import { ConsentService } from '../consent/consent.service';
import { TimelineService } from '../conversations/timeline.service';
import { VisibilityService } from '../conversations/visibility.service';
import {
  CreateCustomerBody,
  LookupQuery,
  MergeBody,
  PreferencesBody,
  TimelineQuery,
  UpdateCustomerBody,
} from './customer.dto';
import { CustomersService } from './customers.service';

const ConsentBody = z.object({
  channel: z.enum(CHANNELS),
  purpose: z.enum(PURPOSES),
  status: z.enum(CONSENT_STATUSES),
  source: z.string().min(1).max(64),
  evidence: z.record(z.string(), z.unknown()).optional(),
});

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly timeline: TimelineService,
    private readonly consents: ConsentService,
    private readonly visibility: VisibilityService,
  ) {}

  @Post()
  @ApiZodBody(CreateCustomerBody)
  create(@ZodBody(CreateCustomerBody) body: z.infer<typeof CreateCustomerBody>) {
    return this.customers.create(body);
  }

  @Get()
  lookup(@ZodQuery(LookupQuery) q: z.infer<typeof LookupQuery>) {
    return this.customers.lookup(q.identity);
  }

  @Get(':id')
  get(@IdParam() id: string) {
    return this.customers.get(id);
  }

  @Patch(':id')
  @ApiZodBody(UpdateCustomerBody)
  update(
    @IdParam() id: string,
    @ZodBody(UpdateCustomerBody) body: z.infer<typeof UpdateCustomerBody>,
    @CurrentUser() user: AuthUser,
  ) {
    if (body.identities !== undefined && user.role !== 'admin' && user.role !== 'supervisor')
      throw new DomainError(
        'forbidden',
        'identities: only an admin or a supervisor changes who a customer is',
      );
    return this.customers.update(id, body);
  }

  @Post(':id/merge')
  @ApiZodBody(MergeBody)
  merge(
    @IdParam() id: string,
    @ZodBody(MergeBody) body: z.infer<typeof MergeBody>,
    @CurrentUser() user: AuthUser,
  ) {
    return this.customers.merge(id, body.duplicateId, user.id);
  }

  @Get(':id/timeline')
  async timelinePage(
    @IdParam() id: string,
    @ZodQuery(TimelineQuery) q: z.infer<typeof TimelineQuery>,
    @CurrentUser() user: AuthUser,
  ) {
    await this.customers.get(id);
    const scope = await this.visibility.scopeOf(user);
    return this.timeline.forCustomer(id, q.limit, q.before, scope);
  }

  @Put(':id/preferences')
  @ApiZodBody(PreferencesBody)
  preferences(
    @IdParam() id: string,
    @ZodBody(PreferencesBody) body: z.infer<typeof PreferencesBody>,
  ) {
    return this.customers.setPreferences(id, body);
  }

  @Get(':id/consents')
  async consentHistory(@IdParam() id: string) {
    await this.customers.get(id);
    return { items: await this.consents.history(id) };
  }

  @Post(':id/consents')
  @ApiZodBody(ConsentBody)
  addConsent(
    @IdParam() id: string,
    @ZodBody(ConsentBody) body: z.infer<typeof ConsentBody>,
    @CurrentUser() user: AuthUser,
  ) {
    return this.consents.record({ customerId: id, ...body, actorId: user.id });
  }
}
