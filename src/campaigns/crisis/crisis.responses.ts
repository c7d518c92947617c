import { z } from 'zod';
import { CAMPAIGN_KINDS, CAMPAIGN_STATUSES } from '../campaign-types';

const n = (what: string) => z.number().int().nonnegative().describe(what);

const totals = {
  attempted: n('messages written on this channel and hop'),
  delivered: n('delivered or read'),
  read: n('read (of delivered)'),
  failed: n('failed, undelivered or refused at send time'),
  pending: n('queued or sent, no receipt yet'),
  notSent: n('fallback steps refused before a message was written (consent, identity)'),
};
const Totals = z.object(totals);

/** GET /campaigns/:id/reach */
export const ReachResponse = z.object({
  campaignId: z.string().uuid(),
  kind: z.enum(CAMPAIGN_KINDS),
  status: z.enum(CAMPAIGN_STATUSES),
  recipients: n('customers taken by the fan-out'),
  sent: n('recipients given a first message'),
  suppressed: n('recipients given none (no channel, no consent...)'),
  reached: n('recipients with a message delivered or read on any hop'),
  acknowledged: n('recipients with a message read on any hop'),
  cells: z
    .array(
      z.object({
        channel: z.string(),
        hop: z.number().int().describe('0: first attempt; n: the n-th fallback'),
        ...totals,
      }),
    )
    .describe('one per channel and hop, by hop then channel'),
  byChannel: z.record(z.string(), Totals),
  byHop: z.array(z.object({ hop: z.number().int(), ...totals })),
  at: z.string().datetime().describe('when these counts were read'),
});
