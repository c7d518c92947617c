import { Injectable } from '@nestjs/common';
import { CHANNELS, type Channel } from '../common/names';
import { ConsentService } from '../consent/consent.service';
import { TrackingService } from './tracking.service';

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);

/** One-click unsubscribe (RFC 8058): revokes marketing consent on the channel the link was sent on. */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly tracking: TrackingService,
    private readonly consents: ConsentService,
  ) {}

  /** The link's recipient, or null when the token is not a valid unsubscribe token. */
  read(token: string): { campaignId: string; customerId: string; channel: Channel } | null {
    const fields = this.tracking.signer.verify('u', token);
    if (fields === null || fields.length !== 3 || !CHANNEL_SET.has(fields[2])) return null;
    return { campaignId: fields[0], customerId: fields[1], channel: fields[2] as Channel };
  }

  async unsubscribe(r: {
    campaignId: string;
    customerId: string;
    channel: Channel;
  }): Promise<void> {
    const state = await this.consents.state(r.customerId);
    // A second click changes nothing: the ledger already says revoked.
    if (state.get(`${r.channel}:marketing`) !== 'revoked') {
      await this.consents.record({
        customerId: r.customerId,
        channel: r.channel,
        purpose: 'marketing',
        status: 'revoked',
        source: 'unsubscribe-link',
        evidence: { campaignId: r.campaignId, method: 'List-Unsubscribe=One-Click' },
      });
    }
    await this.tracking.record('unsubscribe', r.campaignId, r.customerId, r.channel);
  }
}
