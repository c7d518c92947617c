import { Readable } from 'node:stream';
import { Controller, Get, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiZodResponse, ZodQuery } from '../common/http/zod-body';
import {
  atRiskQuery,
  contactsFilterQuery,
  contactsPageQuery,
  type AtRiskQuery,
  type ContactsFilter,
  type ContactsPageQuery,
} from './contacts.query';
import { AtRiskPageResponse, ContactsPageResponse } from './contacts.responses';
import { ContactsService } from './contacts.service';

const SEGMENT_NOTE =
  '`segment` is the definition as URL-encoded JSON (the one saved segments and campaigns hold: tags, tier, attributes, consent, lastContactBefore/After, rfm); a bad field answers 400 naming it (`segment.tier: ...`).';

/** The marketers' contacts list: customers by segment and search, their export, the at-risk lists. */
@ApiTags('contacts')
@ApiBearerAuth()
@Controller('api/v1')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get('contacts')
  @ApiOperation({
    summary: 'Customers a segment and a search select, newest first, a page at a time',
    description: `${SEGMENT_NOTE} \`q\` finds part of a name, e-mail, WeChat id or phone number. Keyset pages: pass \`nextCursor\` back as \`cursor\`. \`total\` counts up to \`totalCap\`.`,
  })
  @ApiZodResponse(200, 'A page of customers and the count', ContactsPageResponse)
  list(@ZodQuery(contactsPageQuery) q: ContactsPageQuery) {
    return this.contacts.page(q);
  }

  @Get('contacts.csv')
  @ApiOperation({
    summary: 'The same customers as CSV, streamed (UTF-8 with BOM, formula cells escaped)',
    description: `${SEGMENT_NOTE} Every customer matching, read a batch at a time.`,
  })
  @ApiProduces('text/csv')
  @ApiResponse({
    status: 200,
    description: 'The CSV file (an attachment)',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  csv(@ZodQuery(contactsFilterQuery) q: ContactsFilter): StreamableFile {
    const day = new Date().toISOString().slice(0, 10);
    return new StreamableFile(Readable.from(this.contacts.csv(q)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="contacts-${day}.csv"`,
    });
  }

  @Get('contacts/at-risk')
  @ApiOperation({
    summary: 'Customers at risk of churning (of a tier), with the channel routing picks now',
    description:
      'The segment `{tier, rfm: {churnRisk: true}}` in id order, each with the routing decision for a normal-urgency marketing message now: its channel, or why it would not send (no consent, frequency cap, ...).',
  })
  @ApiZodResponse(200, 'A page of at-risk customers', AtRiskPageResponse)
  atRisk(@ZodQuery(atRiskQuery) q: AtRiskQuery) {
    return this.contacts.atRisk(q);
  }
}
