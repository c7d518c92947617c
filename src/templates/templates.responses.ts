import { z } from 'zod';
import { CHANNELS, PURPOSES } from '../common/names';
import { TEMPLATE_VERSION_STATES } from './template-versions.repository';

/** The shapes the template routes answer with, for the OpenAPI document. */
const TemplateListingResponse = z.object({
  key: z.string().meta({ example: 'order-shipped' }),
  description: z.string().optional(),
  purposes: z.array(z.enum(PURPOSES)).optional(),
  channels: z.array(z.enum(CHANNELS)),
  versions: z.array(
    z.object({
      channel: z.enum(CHANNELS),
      locale: z.string(),
      variant: z.string().nullable(),
      version: z.int(),
      origin: z.enum(['file', 'override']),
      subject: z.string().optional(),
    }),
  ),
});

export const TemplateListResponse = z.object({ items: z.array(TemplateListingResponse) });

export const TemplateVersionResponse = z.object({
  id: z.uuid(),
  key: z.string(),
  channel: z.enum(CHANNELS),
  locale: z.string(),
  variant: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  purposes: z.array(z.enum(PURPOSES)).nullable(),
  version: z.int(),
  state: z.enum(TEMPLATE_VERSION_STATES),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  stateChangedAt: z
    .string()
    .meta({ description: 'when it became what it is (published: orders publications)' }),
});

export const TemplateResponse = TemplateListingResponse.extend({
  history: z.array(TemplateVersionResponse).meta({ description: 'the versions added by API' }),
});
