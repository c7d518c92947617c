import { Controller, Get, Patch, Post, Put } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { CHANNELS, CONSENT_STATUSES, PURPOSES } from '../common/names';
import { ApiZodBody, ApiZodResponse, ZodBody, ZodQuery } from '../common/http/zod-body';
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
import { CustomerDuplicatesService } from './customer-duplicates.service';
import {
  ConsentListResponse,
  ConsentResponse,
  CustomerResponse,
  DuplicatesResponse,
  TimelineResponse,
} from './customers.responses';
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
    private readonly duplicates: CustomerDuplicatesService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a customer with its identities' })
  @ApiZodResponse(201, 'The new customer', CustomerResponse)
  @ApiZodBody(CreateCustomerBody)
  create(@ZodBody(CreateCustomerBody) body: z.infer<typeof CreateCustomerBody>) {
    return this.customers.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Find a customer by any identity (?identity=<channel>:<address>)' })
  @ApiZodResponse(200, 'The customer', CustomerResponse)
  lookup(@ZodQuery(LookupQuery) q: z.infer<typeof LookupQuery>) {
    return this.customers.lookup(q.identity);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A customer with identities, attributes and tags' })
  @ApiZodResponse(200, 'The customer', CustomerResponse)
  get(@IdParam() id: string) {
    return this.customers.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Edit a customer's name, locale, time zone, tags, attributes (identities: managers)",
  })
  @ApiZodResponse(200, 'The customer as changed', CustomerResponse)
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
  @ApiOperation({
    summary: 'Merge a duplicate into this customer: identities, conversations, consents move here',
  })
  @ApiZodResponse(201, 'The surviving customer', CustomerResponse)
  @ApiZodBody(MergeBody)
  merge(
    @IdParam() id: string,
    @ZodBody(MergeBody) body: z.infer<typeof MergeBody>,
    @CurrentUser() user: AuthUser,
  ) {
    return this.customers.merge(id, body.duplicateId, user.id);
  }

  @Get(':id/duplicates')
  @ApiOperation({
    summary: 'Customers that are likely the same person, with the reasons',
    description:
      'Up to 10 `{customer: {id, displayName, identities, lastContactAt}, score, reasons}`, ' +
      'strongest first. Reasons: samePhone, sameEmail (the same normalised address on both), ' +
      'sameNameAndPhoneSuffix, sameNameAndEmailLocalPart, sameName (names compared whatever ' +
      'the case and width). Merge one with POST /customers/:id/merge.',
  })
  @ApiZodResponse(200, 'The likely duplicates, strongest first', DuplicatesResponse)
  duplicatesOf(@IdParam() id: string) {
    return this.duplicates.suggest(id);
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: "The customer's timeline across every channel, newest first" })
  @ApiZodResponse(200, 'A page of the timeline', TimelineResponse)
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
  @ApiOperation({ summary: "Set the customer's channel preferences and quiet hours" })
  @ApiZodResponse(200, 'The customer with the new preferences', CustomerResponse)
  @ApiZodBody(PreferencesBody)
  preferences(
    @IdParam() id: string,
    @ZodBody(PreferencesBody) body: z.infer<typeof PreferencesBody>,
    @CurrentUser() user: AuthUser,
  ) {
    return this.customers.setPreferences(id, body, user.id);
  }

  @Get(':id/consents')
  @ApiOperation({ summary: "The customer's consent ledger" })
  @ApiZodResponse(200, 'The ledger, newest first', ConsentListResponse)
  async consentHistory(@IdParam() id: string) {
    await this.customers.get(id);
    return { items: await this.consents.history(id) };
  }

  @Post(':id/consents')
  @ApiOperation({ summary: 'Record a consent grant or revocation (append-only)' })
  @ApiZodResponse(201, 'The ledger entry', ConsentResponse)
  @ApiZodBody(ConsentBody)
  addConsent(
    @IdParam() id: string,
    @ZodBody(ConsentBody) body: z.infer<typeof ConsentBody>,
    @CurrentUser() user: AuthUser,
  ) {
    return this.consents.record({ customerId: id, ...body, actorId: user.id });
  }
}
