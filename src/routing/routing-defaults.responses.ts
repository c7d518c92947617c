import { z } from 'zod';
import { RoutingDefaultsSchema } from './routing-defaults';

/** What the routing defaults routes answer with, for the OpenAPI document. */
export const RoutingDefaultsResponse = z.object({
  defaults: RoutingDefaultsSchema.meta({ description: 'the defaults in force' }),
  source: z.enum(['settings', 'environment']),
  environment: RoutingDefaultsSchema.meta({ description: 'the defaults configuration gives' }),
});
