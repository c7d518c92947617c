/**
 * What the soak asserts once the load stopped and the queues drained (or the drain deadline
 * passed): every accepted inbound message stored once; every accepted send delivered once at
 * the provider (fake Twilio, SMTP sink, sandbox outbox) or marked failed/suppressed, none still
 * queued, none twice; the campaign completed with recipients = sends + suppressed; no job left.
 */
import type { Pool } from 'pg';
import type { AcceptedInbound, LoadResult } from './load';

export interface ProviderCounts {
  /** Mails per our message id (the part of the Message-ID before the @). */
  smtp: Map<string, number>;
  /** Twilio sends per "<channel>:<E.164>" (whatsapp: from the whatsapp: prefix). */
  twilio: Map<string, number>;
}

/** The campaign's stats as its API answers them; targeted = recipients given a message. */
export interface CampaignStats {
  status: string;
  recipients: number;
  targeted: number;
  sent: number;
  unknown: number;
  scheduled: number;
  suppressed: number;
}

export interface CheckResult {
  inbound: { accepted: number; stored: number; duplicates: number; missing: string[] };
  sends: {
    accepted: number;
    delivered: number;
    marked: number;
    doubled: number;
    lost: number;
    lostIds: string[];
    doubledIds: string[];
    /** Marked unknown and not at the provider (counted in marked too). */
    unknown: number;
    /** Provider sends to an address no accepted message of ours has. */
    unattributed: number;
    unattributedTo: string[];
  };
  campaign: CampaignStats & { ok: boolean };
  jobs: { pending: number; failed: number; bullFailed: number };
}

const SETTLED_UNSENT = new Set(['failed', 'undelivered', 'suppressed']);
/**
 * A send whose process died between handing it over and recording the provider's answer, where
 * the provider cannot be asked (SMTP): the hub marks it unknown for an operator, never resends.
 */
const UNKNOWN = 'unknown';
const REACHED = new Set(['sent', 'delivered', 'read']);

/** Normalised provider id of a stored inbound message: no brackets, no fingerprint suffix. */
function storedKey(channel: string, providerId: string): string {
  return `${channel}:${providerId.split(' ')[0].replace(/^<|>$/g, '')}`;
}

export async function inboundCheck(
  db: Pool,
  accepted: AcceptedInbound[],
): Promise<CheckResult['inbound']> {
  const rows = (
    await db.query<{ channel: string; provider_message_id: string }>(
      `SELECT channel, provider_message_id FROM messages
       WHERE direction = 'inbound' AND provider_message_id IS NOT NULL`,
    )
  ).rows;
  const stored = new Map<string, number>();
  for (const r of rows) {
    const key = storedKey(r.channel, r.provider_message_id);
    stored.set(key, (stored.get(key) ?? 0) + 1);
  }
  let found = 0;
  let duplicates = 0;
  const missing: string[] = [];
  for (const a of accepted) {
    const n = stored.get(storedKey(a.channel, a.providerId)) ?? 0;
    if (n > 0) found++;
    else missing.push(`${a.channel}:${a.providerId}`);
    if (n > 1) duplicates += n - 1;
  }
  return { accepted: accepted.length, stored: found, duplicates, missing: missing.slice(0, 10) };
}

export async function outboundIds(
  db: Pool,
  load: LoadResult,
  campaignId: string | null,
): Promise<string[]> {
  const ids = load.outbound.map((o) => o.id);
  if (campaignId) {
    const rows = (
      await db.query<{ message_id: string }>(
        `SELECT message_id FROM campaign_recipients WHERE campaign_id = $1 AND message_id IS NOT NULL`,
        [campaignId],
      )
    ).rows;
    ids.push(...rows.map((r) => r.message_id));
  }
  return [...new Set(ids)];
}

/** Accepted outbound messages still waiting to go (queued, sending): the drain waits for none. */
export async function unsettledSends(db: Pool, ids: string[]): Promise<number> {
  const r = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM messages WHERE id = ANY($1::uuid[])
     AND status NOT IN ('sent', 'delivered', 'read', 'failed', 'undelivered', 'suppressed', 'unknown')`,
    [ids],
  );
  return Number(r.rows[0].n);
}

export async function sendsCheck(
  db: Pool,
  ids: string[],
  providers: ProviderCounts,
): Promise<CheckResult['sends']> {
  const rows = (
    await db.query<{ id: string; channel: string; status: string; address: string | null }>(
      `SELECT id, channel, status, address FROM messages WHERE id = ANY($1::uuid[])`,
      [ids],
    )
  ).rows;
  const sandbox = new Map<string, number>();
  for (const r of (
    await db.query<{ message_id: string; n: string }>(
      `SELECT message_id, count(*) AS n FROM sandbox_outbox WHERE message_id = ANY($1::uuid[]) GROUP BY message_id`,
      [ids],
    )
  ).rows)
    sandbox.set(r.message_id, Number(r.n));
  const out: CheckResult['sends'] = {
    accepted: ids.length,
    delivered: 0,
    marked: 0,
    doubled: 0,
    lost: ids.length - rows.length,
    lostIds: [],
    doubledIds: [],
    unknown: 0,
    unattributed: 0,
    unattributedTo: [],
  };
  const known = new Set(rows.map((r) => r.id));
  out.lostIds.push(...ids.filter((id) => !known.has(id)));
  const attributed = new Set<string>();
  for (const m of rows) {
    let atProvider: number;
    if (m.channel === 'email') atProvider = providers.smtp.get(m.id) ?? 0;
    else if (m.channel === 'sms' || m.channel === 'whatsapp') {
      const key = `${m.channel}:${(m.address ?? '').replace(/^whatsapp:/, '')}`;
      attributed.add(key);
      atProvider = providers.twilio.get(key) ?? 0;
    } else if (sandbox.has(m.id)) atProvider = sandbox.get(m.id)!;
    else atProvider = REACHED.has(m.status) ? 1 : 0;
    if (atProvider > 1) {
      out.doubled++;
      out.doubledIds.push(m.id);
    } else if (atProvider === 1) out.delivered++;
    else if (SETTLED_UNSENT.has(m.status)) out.marked++;
    else if (m.status === UNKNOWN) {
      out.marked++;
      out.unknown++;
    } else {
      out.lost++;
      out.lostIds.push(`${m.id} (${m.channel} ${m.status})`);
    }
  }
  for (const key of providers.twilio.keys())
    if (!attributed.has(key)) {
      out.unattributed++;
      out.unattributedTo.push(key);
    }
  out.unattributedTo = out.unattributedTo.slice(0, 10);
  out.lostIds = out.lostIds.slice(0, 10);
  out.doubledIds = out.doubledIds.slice(0, 10);
  return out;
}

/** Due jobs not done (future timers excluded) and jobs that failed for good, in the outbox. */
export async function jobsCheck(db: Pool): Promise<{ pending: number; failed: number }> {
  const r = await db.query<{ pending: string; failed: string }>(
    `SELECT count(*) FILTER (WHERE status IN ('pending', 'running') AND run_at <= now()) AS pending,
            count(*) FILTER (WHERE status = 'failed') AS failed
     FROM outbox_jobs`,
  );
  return { pending: Number(r.rows[0].pending), failed: Number(r.rows[0].failed) };
}

export function campaignOk(c: CampaignStats): boolean {
  return (
    c.status === 'completed' && c.recipients === c.targeted + c.suppressed && c.scheduled === 0
  );
}
