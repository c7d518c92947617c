/**
 * Plain-data inputs and outputs of the routing decision. The routing service loads these
 * from the database (customer, identities, preferences, consent ledger, engagement, template
 * availability) and from the channel health registry; the decision itself does no I/O.
 */
import type { Channel, ConsentStatus, Purpose, Urgency } from '../../common/names';

export type IdentityStatus = 'active' | 'undeliverable' | 'bounced';

/** One address per channel; a phone identity arrives already expanded to sms and voice. */
export interface RoutingIdentity {
  channel: Channel;
  address: string;
  status: IdentityStatus;
}

/** One row of the preference matrix; `*` matches any topic or urgency. */
export interface PreferenceRow {
  topic: string;
  urgency: Urgency | '*';
  /** Most preferred first. */
  channels: readonly Channel[];
}

/** Local wall-clock times "HH:MM" in the customer's timezone; end may be before start (overnight). */
export interface QuietHours {
  start: string;
  end: string;
}

/** Latest consent status per channel and purpose (undefined = never given nor revoked). */
export type ConsentState = Partial<Record<Channel, Partial<Record<Purpose, ConsentStatus>>>>;

export interface CustomerRoutingContext {
  customerId: string;
  locale: string;
  /** IANA timezone, e.g. "Asia/Shanghai". An invalid one is treated as UTC (with a reason). */
  timezone: string;
  attributes: Readonly<Record<string, unknown>>;
  identities: readonly RoutingIdentity[];
  preferences: readonly PreferenceRow[];
  /** null = the customer has no quiet hours; undefined = use the policy default. */
  quietHours?: QuietHours | null;
  consent: ConsentState;
  /** Channels ordered by engagement (see learnedRanking). */
  learnedRanking: readonly Channel[];
  /** Marketing messages sent to this customer in the last 24 hours and 7 days. */
  marketingSent: { lastDay: number; lastWeek: number };
  /** Channels for which the intent's template has a variant. */
  templateChannels: ReadonlySet<Channel>;
}

export interface MessageIntent {
  topic: string;
  urgency: Urgency;
  purpose: Purpose;
  template: string;
  /** Forced channel: only this channel is tried, and consent still applies. */
  channel?: Channel;
}

/** When to move on to the next channel: not delivered (or not read) within afterSeconds. */
export interface FallbackRule {
  afterSeconds: number;
  unless: 'delivered' | 'read';
  /** Also move on when delivered but not read or answered within this many seconds (critical). */
  readWithinSeconds?: number;
}

export type ProviderHealth = 'up' | 'degraded' | 'down';

export interface RoutingPolicy {
  /** Ranking used after the matrix and the learned ranking. */
  defaultRanking: Readonly<Record<Urgency, readonly Channel[]>>;
  /** Circuit state per channel; 'down' (circuit open) excludes the channel. Missing = up. */
  providerHealth: Readonly<Partial<Record<Channel, ProviderHealth>>>;
  frequencyCap: { perDay: number; perWeek: number };
  /** null = no fallbacks for that urgency. */
  fallback: Readonly<Record<Urgency, FallbackRule | null>>;
  /** Most fallbacks listed after the chosen channel. */
  maxFallbacks: number;
  quietHours: {
    /** Used when the customer has not set quiet hours (ctx.quietHours undefined). */
    default: QuietHours | null;
    /** Urgencies sent at once even in quiet hours; critical always is. */
    exemptUrgencies: readonly Urgency[];
    /** Purposes dropped (suppression 'quietHours') instead of delayed to the end of the window. */
    suppressPurposes: readonly Purpose[];
  };
  /** true = a matching matrix row lists the only channels allowed (no learned/default fill). */
  matrixExclusive: boolean;
}

export type Suppression = 'noConsent' | 'quietHours' | 'frequencyCap' | 'noChannel';

export interface RouteFallback {
  channel: Channel;
  address: string;
  /** Seconds after sendAt (cumulative) at which this channel is tried. */
  afterSeconds: number;
  unless: 'delivered' | 'read';
  /** Seconds after sendAt (cumulative) by which the message must be read or answered, if set. */
  readWithinSeconds?: number;
}

export interface RouteChosen {
  ok: true;
  channel: Channel;
  address: string;
  sendAt: Date;
  /** True when quiet hours pushed sendAt past now. */
  delayed: boolean;
  fallbacks: RouteFallback[];
  reasons: string[];
}

export interface RouteRefused {
  ok: false;
  suppression: Suppression;
  reasons: string[];
}

export type RouteDecision = RouteChosen | RouteRefused;
