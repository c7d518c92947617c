import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { PURPOSES, type Channel, type ConsentStatus, type Purpose } from '../common/names';
import { ConsentService } from '../consent/consent.service';
import {
  CustomersService,
  type CustomerView,
  type PreferenceRowInput,
} from '../customers/customers.service';
import { MessagesService } from '../messages/messages.service';
import { TrackingService } from '../tracking/tracking.service';
import { maskAddress } from './address-mask';
import type { MessageKey } from '../customer-texts/catalog';
import type { PreferencePageModel } from './page/preference-page';
import type { ConsentFormInput, MatrixFormInput, QuietHoursFormInput } from './preference-forms';
import { explainRoute } from '../customer-texts/route-explanations';
import type { Language } from '../customer-texts/catalog';

/**
 * Purposes a customer cannot switch off on the preference page: security alerts, outages and
 * their own orders go out as service or transactional messages, and must reach them.
 */
export const UNREFUSABLE_PURPOSES: readonly Purpose[] = ['transactional', 'service'];

/** How many recent messages "Why you heard from us" explains. */
const RECENT_MESSAGES = 10;

/** A page that cannot be shown or a change that cannot be made: the status and what to say. */
export class PageProblem extends Error {
  constructor(
    readonly status: number,
    readonly key: MessageKey,
    readonly vars: Record<string, string> = {},
    readonly detail?: string,
  ) {
    super(key);
  }
}

/** Who is on the page: from the verified token. */
export interface PageVisitor {
  customerId: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** Where a change came from: stored as the ledger entry's evidence. */
export interface PageEvidence {
  ip: string;
  userAgent: string | null;
}

const SOURCE = 'preference-centre';

let zones: readonly string[] | null = null;
function timeZones(): readonly string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones;
}

/** The preference centre: reads what the page shows, and makes its changes through the ledgers. */
@Injectable()
export class PreferenceCentreService {
  constructor(
    private readonly customers: CustomersService,
    private readonly consents: ConsentService,
    private readonly messages: MessagesService,
    private readonly tracking: TrackingService,
  ) {}

  /** The token's visitor; a forged, tampered, other-kind or expired token is a PageProblem. */
  visitor(token: string): PageVisitor {
    const r = this.tracking.readPreferenceToken(token);
    if (r.ok) return { customerId: r.customerId, issuedAt: r.issuedAt, expiresAt: r.expiresAt };
    if (r.problem === 'expired')
      throw new PageProblem(410, 'error.expiredLink', {
        date: r.expiresAt.toISOString().slice(0, 10),
      });
    throw new PageProblem(400, 'error.invalidLink');
  }

  /** The customer a link is for (the survivor when they were merged); gone when erased. */
  async customer(customerId: string): Promise<CustomerView> {
    try {
      return await this.customers.get(customerId);
    } catch (e) {
      const survivor = e instanceof DomainError ? e.details?.mergedIntoId : undefined;
      if (typeof survivor === 'string') return this.customer(survivor);
      if (e instanceof DomainError && e.code === 'not_found')
        throw new PageProblem(410, 'error.gone');
      throw e;
    }
  }

  async page(
    visitor: PageVisitor,
    token: string,
    lang: Language,
    flash: string | null,
  ): Promise<PreferencePageModel> {
    const c = await this.customer(visitor.customerId);
    const stored = (c.preferences ?? {}) as { matrix?: unknown; quietHours?: unknown };
    const state = await this.consents.state(c.id);
    const channels = [...new Set(c.identities.flatMap((i) => i.channels))];
    const sent = await this.messages.recentOutbound(c.id, RECENT_MESSAGES);
    return {
      lang,
      token,
      displayName: c.displayName,
      expiresAt: visitor.expiresAt,
      timezone: c.timezone,
      matrix: matrixOf(stored.matrix),
      quietHours: quietOf(stored.quietHours),
      consent: channels.map((channel) => ({
        channel,
        purposes: PURPOSES.map((purpose) => ({
          purpose,
          status: state.get(`${channel}:${purpose}`) ?? null,
          locked: UNREFUSABLE_PURPOSES.includes(purpose),
        })),
      })),
      addresses: c.identities.map((i) => ({
        kind: i.kind,
        channels: i.channels,
        masked: maskAddress(i.kind, i.address),
        status: i.status,
      })),
      messages: sent.map((m) => ({
        createdAt: m.createdAt,
        channel: m.channel,
        lines: explainRoute(lang, { ...m, timezone: c.timezone }),
      })),
      flash,
      timeZones: timeZones(),
    };
  }

  /** Adds, changes or removes a row of the matrix; returns the flash to show. */
  async changeMatrix(
    visitor: PageVisitor,
    form: MatrixFormInput,
    evidence: PageEvidence,
  ): Promise<MessageKey> {
    const c = await this.customer(visitor.customerId);
    const matrix = matrixOf(((c.preferences ?? {}) as { matrix?: unknown }).matrix);
    const row: PreferenceRowInput = {
      topic: form.topic,
      urgency: form.urgency,
      channels: form.channels,
    };
    if (form.action === 'add') {
      // The same topic and urgency again replaces that row: the matrix has one answer per pair.
      const at = matrix.findIndex((r) => r.topic === row.topic && r.urgency === row.urgency);
      if (at >= 0) matrix[at] = row;
      else matrix.push(row);
    } else {
      const at = Number(form.row);
      const current = matrix[at];
      if (!current || `${current.topic}|${current.urgency}` !== form.was)
        throw new PageProblem(409, 'error.stale');
      if (form.action === 'remove') matrix.splice(at, 1);
      else matrix[at] = { ...row, topic: current.topic };
    }
    await this.customers.changePreferences(c.id, { matrix }, this.origin(visitor, evidence));
    return form.action === 'remove' ? 'done.matrixRemoved' : 'done.matrix';
  }

  async changeQuietHours(
    visitor: PageVisitor,
    form: QuietHoursFormInput,
    evidence: PageEvidence,
  ): Promise<MessageKey> {
    const c = await this.customer(visitor.customerId);
    await this.customers.changePreferences(
      c.id,
      {
        quietHours: form.off === '1' ? null : { start: form.quietStart, end: form.quietEnd },
        timezone: form.timezone,
      },
      this.origin(visitor, evidence),
    );
    return 'done.quiet';
  }

  /** Grants or revokes; revoking a purpose the customer cannot refuse is a 403 saying why. */
  async changeConsent(
    visitor: PageVisitor,
    form: ConsentFormInput,
    evidence: PageEvidence,
  ): Promise<{ done: MessageKey; channel: Channel; purpose: Purpose }> {
    if (form.status === 'revoked' && UNREFUSABLE_PURPOSES.includes(form.purpose))
      throw new PageProblem(403, 'error.locked');
    const c = await this.customer(visitor.customerId);
    const state = await this.consents.state(c.id);
    const status: ConsentStatus = form.status;
    // Pressing the same button twice (a resubmitted form) records nothing more.
    if (state.get(`${form.channel}:${form.purpose}`) !== status)
      await this.consents.record({
        customerId: c.id,
        channel: form.channel,
        purpose: form.purpose,
        status,
        source: SOURCE,
        evidence: this.origin(visitor, evidence).evidence,
      });
    return {
      done: status === 'granted' ? 'done.granted' : 'done.revoked',
      channel: form.channel,
      purpose: form.purpose,
    };
  }

  /** The staff link: the customer must exist. */
  async link(customerId: string): Promise<{ url: string; expiresAt: string }> {
    await this.customers.get(customerId);
    const { url, expiresAt } = this.tracking.preferenceLink(customerId);
    return { url, expiresAt: expiresAt.toISOString() };
  }

  private origin(visitor: PageVisitor, evidence: PageEvidence) {
    return {
      source: SOURCE,
      evidence: {
        page: SOURCE,
        ip: evidence.ip,
        userAgent: evidence.userAgent,
        tokenIssuedAt: visitor.issuedAt.toISOString(),
      },
    };
  }
}

function matrixOf(value: unknown): PreferenceRowInput[] {
  if (!Array.isArray(value)) return [];
  return (value as Array<Partial<PreferenceRowInput>>).filter(
    (r): r is PreferenceRowInput =>
      typeof r?.topic === 'string' && typeof r.urgency === 'string' && Array.isArray(r.channels),
  );
}

function quietOf(value: unknown): { start: string; end: string } | null {
  const q = value as { start?: unknown; end?: unknown } | null;
  return q && typeof q.start === 'string' && typeof q.end === 'string'
    ? { start: q.start, end: q.end }
    : null;
}
