import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** Latest messages listed in a customer's activity summary. */
export const LATEST_SHOWN = 5;

export interface ChannelCount {
  channel: string;
  inbound: number;
  outbound: number;
}

/** A message as the summary lists it: what, where and when, never its content. */
export interface ActivityMessage {
  id: string;
  channel: string | null;
  direction: 'inbound' | 'outbound';
  status: string;
  purpose: string | null;
  topic: string | null;
  template: string | null;
  createdAt: string;
}

/** How an address was proven to be the customer's. */
export interface IdentityProof {
  kind: string;
  address: string;
  /** 'inbound': the customer wrote from it; 'livechat': a live-chat claim of it was verified. */
  verifiedBy: 'inbound' | 'livechat' | null;
  verifiedAt: string | null;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Counts and latest messages of one customer (messages, not notes or events), and proofs. */
@Injectable()
export class CustomerActivityRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async channelCounts(customerId: string): Promise<ChannelCount[]> {
    const rows = (await this.db.query(
      `SELECT coalesce(channel, 'none') AS channel,
         count(*) FILTER (WHERE direction = 'inbound')::int AS inbound,
         count(*) FILTER (WHERE direction = 'outbound')::int AS outbound
       FROM messages WHERE customer_id = $1 AND kind = 'message'
       GROUP BY 1 ORDER BY count(*) DESC, 1`,
      [customerId],
    )) as Row[];
    return rows.map((r) => ({
      channel: r.channel as string,
      inbound: Number(r.inbound),
      outbound: Number(r.outbound),
    }));
  }

  async lastContacts(
    customerId: string,
  ): Promise<{ lastInboundAt: string | null; lastOutboundAt: string | null }> {
    const rows = (await this.db.query(
      `SELECT max(created_at) FILTER (WHERE direction = 'inbound') AS last_in,
         max(created_at) FILTER (WHERE direction = 'outbound' AND status <> 'suppressed') AS last_out
       FROM messages WHERE customer_id = $1 AND kind = 'message'`,
      [customerId],
    )) as Row[];
    return { lastInboundAt: iso(rows[0]?.last_in), lastOutboundAt: iso(rows[0]?.last_out) };
  }

  async latest(customerId: string, limit = LATEST_SHOWN): Promise<ActivityMessage[]> {
    const rows = (await this.db.query(
      `SELECT id, channel, direction, status, purpose, topic, template, created_at FROM messages
       WHERE customer_id = $1 AND kind = 'message' ORDER BY seq DESC LIMIT $2`,
      [customerId, limit],
    )) as Row[];
    return rows.map((r) => ({
      id: r.id as string,
      channel: (r.channel as string | null) ?? null,
      direction: r.direction as 'inbound' | 'outbound',
      status: r.status as string,
      purpose: (r.purpose as string | null) ?? null,
      topic: (r.topic as string | null) ?? null,
      template: (r.template as string | null) ?? null,
      createdAt: iso(r.created_at) as string,
    }));
  }

  /**
   * Each identity of the customer with its earliest proof: a message received from the address,
   * or a verified live-chat claim of it (e-mail and phone claims) owned by this customer.
   */
  async proofs(customerId: string): Promise<IdentityProof[]> {
    const rows = (await this.db.query(
      `SELECT i.kind, i.address,
         (SELECT min(m.created_at) FROM messages m WHERE m.customer_id = i.customer_id
            AND m.direction = 'inbound' AND m.address = i.address) AS by_inbound,
         (SELECT min(c.verified_at) FROM livechat_identity_claims c
            WHERE c.status = 'verified' AND c.owner_customer_id = i.customer_id
              AND c.kind = i.kind AND c.address = i.address) AS by_claim
       FROM customer_identities i WHERE i.customer_id = $1 ORDER BY i.created_at, i.address`,
      [customerId],
    )) as Row[];
    return rows.map((r) => {
      const inbound = r.by_inbound ? new Date(r.by_inbound as string) : null;
      const claim = r.by_claim ? new Date(r.by_claim as string) : null;
      const first = inbound && (!claim || inbound <= claim) ? 'inbound' : claim ? 'livechat' : null;
      return {
        kind: r.kind as string,
        address: r.address as string,
        verifiedBy: first,
        verifiedAt: first === 'inbound' ? iso(inbound) : first === 'livechat' ? iso(claim) : null,
      };
    });
  }
}
