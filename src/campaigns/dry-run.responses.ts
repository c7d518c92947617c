import { z } from 'zod';
import { CHANNELS } from '../common/names';
import { SUPPRESSIONS } from './dry-run-tally';

/** POST /campaigns/dry-run and /campaigns/:id/dry-run: ?maxCustomers= lowers the size cap. */
export const dryRunQuerySchema = z.object({
  maxCustomers: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('stop after this many customers (default and most: 1,000,000)'),
});
export type DryRunQuery = z.infer<typeof dryRunQuerySchema>;

const n = (what: string) => z.number().int().nonnegative().describe(what);
const when = (what: string) => z.string().datetime().nullable().describe(what);

const ChannelCounts = z.object({
  now: n('would go at once'),
  held: n('would be held by quiet hours until their send time'),
  digest: n("would be gathered into the customer's digest (low urgency)"),
});

const SampleRow = z.object({
  customerId: z.string().uuid(),
  name: z.string().nullable(),
  timezone: z.string(),
  outcome: z.enum(['now', 'held', 'digest', 'suppressed']),
  channel: z.enum(CHANNELS).nullable(),
  suppression: z.enum(SUPPRESSIONS as [string, ...string[]]).nullable(),
  variant: z.string().nullable(),
  sendAt: when("a held send's time or a gathered one's digest due time; null: now or never"),
  reasons: z.array(z.string()).describe('the routing reasons, as stored with a message'),
  explanation: z
    .record(z.string(), z.array(z.string()))
    .describe('the reasons in plain words, per language (en, zh-CN); only those the texts know'),
});

const suppressed = Object.fromEntries(SUPPRESSIONS.map((s) => [s, n(`suppressed: ${s}`)]));

export const DryRunResponse = z.object({
  campaignId: z.string().uuid().nullable().describe('null: an unsaved definition'),
  at: z.string().datetime().describe('the moment the decisions were taken for'),
  audience: n('customers in the segment now'),
  recipients: n('customers planned (all of the audience unless the run stopped early)'),
  complete: z.boolean(),
  stoppedBy: z
    .enum(['time', 'customers'])
    .nullable()
    .describe('which limit ended the run early; null: it planned every customer'),
  limits: z.object({ seconds: z.number().int(), customers: z.number().int() }),
  tookMs: n('how long the run took'),
  sends: z.object({
    now: n('all channels: at once'),
    held: n('all channels: held by quiet hours'),
    digest: n('all channels: gathered into digests'),
    total: n('now + held + digest'),
  }),
  byChannel: z.record(z.enum(CHANNELS), ChannelCounts),
  held: z.object({
    count: n('sends held by quiet hours'),
    earliest: when('the earliest a held send goes'),
    latest: when('the latest a held send goes'),
  }),
  suppressed: z.object({ ...suppressed, total: n('all suppressed') }),
  variants: z.record(z.string(), z.number().int()).describe('recipients per A/B variant'),
  sample: z.array(SampleRow).describe('up to 20 customers, each kind of outcome shown first'),
});
