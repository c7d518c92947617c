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
  /** What the support desk knows of the customer (the contact budget's holds); undefined = nothing. */
  support?: SupportFacts;
  /** Channels for which the intent's template has a variant. */
  templateChannels: ReadonlySet<Channel>;
  /**
   * The customer's last inbound WhatsApp message (the 24-hour window's start); null or
   * undefined = none known, the window is closed.
   */
  lastWhatsappInboundAt?: Date | null;
}

/** WhatsApp's customer service window and the templates that may be sent outside it. */
export interface WhatsappWindowPolicy {
  /** Hours after the customer's last inbound WhatsApp message that free-form messages may be sent (24). */
  windowHours: number;
  /** Template keys WhatsApp approved: sent at any time. */
  approvedTemplates: readonly string[];
}

/** The customer's standing with the support desk, as the contact budget weighs it. */
export interface SupportFacts {
  /** When the customer's unresolved conversation began (or was last reopened); null = none. */
  openConversationSince: Date | null;
  /** The latest SLA breach on the customer's conversations (the last 90 days); null = none. */
  lastSlaBreachAt: Date | null;
  /** The customer's latest satisfaction rating (1..5, see csatScore) and when; null = none. */
  lastCsat: { score: number; at: Date } | null;
}

/** When marketing holds back for a customer the support desk is dealing with. */
export interface ContactBudgetPolicy {
  /** Hold while the customer has an unresolved (open, pending or snoozed) conversation. */
  holdOpenConversation: boolean;
  /** Hold for this many days after an SLA breach (0 = off). */
  breachDays: number;
  /** Hold while the last CSAT score is below this (0 = off). */
  minCsat: number;
}

export type BudgetHoldKind = 'openConversation' | 'slaBreach' | 'lowCsat';

/** One reason marketing holds back, with when its cause began. */
export interface BudgetHold {
  kind: BudgetHoldKind;
  reason: string;
  since: Date;
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
  /**
   * Low-urgency messages to a customer within this many minutes of their last low-urgency one
   * are gathered into one digest (see planDigest); 0 = every message goes alone.
   */
  digestWindowMinutes: number;
  /** Holds on marketing while support deals with the customer (suppression 'contactBudget'). */
  contactBudget: ContactBudgetPolicy;
  /** WhatsApp's 24-hour window; undefined = 24 hours, no approved templates. */
  whatsapp?: WhatsappWindowPolicy;
}

export type Suppression =
  'noConsent' | 'quietHours' | 'frequencyCap' | 'noChannel' | 'contactBudget';

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
