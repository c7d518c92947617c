import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodResponse } from '../common/http/zod-body';
import { z } from 'zod';
import { CHANNELS } from '../common/names';
import { IdParam } from '../common/http/id-param';
import { ContactBudgetService } from './contact-budget.service';
import type { ContactBudgetView } from './contact-budget-view';

/** The answer of GET /customers/:id/contact-budget, for the OpenAPI document. */
const ContactBudgetResponse = z.object({
  marketing: z.object({
    sentToday: z.number().int().describe('marketing messages sent in the last 24 hours'),
    sentThisWeek: z.number().int().describe('marketing messages sent in the last 7 days'),
    capPerDay: z.number().int(),
    capPerWeek: z.number().int(),
    remainingToday: z.number().int(),
    remainingThisWeek: z.number().int(),
    held: z.boolean().describe('true: marketing is held back now (suppression contactBudget)'),
    holds: z.array(
      z.object({
        kind: z.enum(['openConversation', 'slaBreach', 'lowCsat']),
        reason: z.string(),
        since: z.string().datetime().optional(),
      }),
    ),
  }),
  quietHours: z
    .object({
      start: z.string().describe('"HH:MM" in the customer\'s time zone'),
      end: z.string(),
      timezone: z.string(),
      activeNow: z.boolean(),
      until: z.string().datetime().optional().describe('when the quiet hours in force end'),
    })
    .nullable(),
  bestChannelNow: z
    .object({
      channel: z.enum(CHANNELS),
      address: z.string().optional(),
      reasons: z.array(z.string()),
    })
    .nullable()
    .describe('where routing sends a normal-urgency service message now; null: nowhere'),
});

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class ContactBudgetController {
  constructor(private readonly budgets: ContactBudgetService) {}

  @Get(':id/contact-budget')
  @ApiOperation({
    summary: "A customer's contact budget: marketing left, holds, quiet hours, best channel now",
    description:
      'Marketing is held (suppression contactBudget) while the customer has an unresolved ' +
      'conversation, within CONTACT_BUDGET_BREACH_DAYS of an SLA breach, or while the last CSAT ' +
      'score is below CONTACT_BUDGET_MIN_CSAT. bestChannelNow is what routing picks now for a ' +
      'normal-urgency service message.',
  })
  @ApiZodResponse(200, "The customer's contact budget", ContactBudgetResponse)
  get(@IdParam() id: string): Promise<ContactBudgetView> {
    return this.budgets.of(id);
  }
}
