import { Injectable } from '@nestjs/common';
import { PURPOSES, URGENCIES, type Channel } from '../../common/names';
import { LANGUAGES } from '../../customer-texts/catalog';
import { explainRoute } from '../../customer-texts/route-explanations';
import { TemplateEngine } from '../../templates/template-engine';
import type { CustomerRoutingContext } from '../decision/routing-types';
import { RoutingContextRepository } from '../routing-context.repository';
import { RoutingPolicyProvider } from '../routing-policy';
import { PastSendsRepository, type PastSendRow } from './past-sends.repository';
import type { SimulateBody } from './policy-simulator.responses';
import { proposedDefaults, withProposedQuietHours } from './proposed-policy';
import {
  simulatePolicy,
  type PastSend,
  type SimulatedRoute,
  type SimulationSample,
} from './simulate-policy';

const DAY_MS = 86_400_000;
/** Sends whose contexts one statement reads. */
const CONTEXT_BATCH = 500;

const URGENCY_SET: ReadonlySet<string> = new Set(URGENCIES);
const PURPOSE_SET: ReadonlySet<string> = new Set(PURPOSES);

/**
 * POST /routing/simulate: the latest sends of the window (up to `limit`), each customer's
 * context as at its send read in batches, both policies decided by simulatePolicy. Stores nothing.
 */
@Injectable()
export class PolicySimulatorService {
  constructor(
    private readonly sends: PastSendsRepository,
    private readonly contexts: RoutingContextRepository,
    private readonly policy: RoutingPolicyProvider,
    private readonly templates: TemplateEngine,
  ) {}

  async simulate(body: SimulateBody, now = new Date()) {
    await this.policy.refresh();
    const inForce = this.policy.defaults().defaults;
    const proposedPolicy = withProposedQuietHours(
      this.policy.withDefaults(proposedDefaults(inForce, body.proposed)),
      body.proposed,
    );
    const currentPolicy = this.policy.withDefaults(inForce);

    const since = new Date(now.getTime() - body.days * DAY_MS);
    const { rows, inWindow } = await this.sends.latest(since, body.limit);
    const usable = rows.filter((r) => URGENCY_SET.has(r.urgency) && PURPOSE_SET.has(r.purpose));
    const contexts = await this.contextsOf(usable);
    const result = simulatePolicy(
      usable.map(toPastSend),
      contexts.bySend,
      currentPolicy,
      proposedPolicy,
    );
    return {
      window: { days: body.days, from: since.toISOString(), to: now.toISOString() },
      inWindow,
      sampled: inWindow > rows.length,
      limit: body.limit,
      ...result,
      skipped: result.skipped + rows.length - usable.length,
      sample: result.sample.map((s) => this.explained(s, contexts.timezones)),
    };
  }

  /** Each send's context as at its time, CONTEXT_BATCH sends a statement. */
  private async contextsOf(rows: PastSendRow[]) {
    const bySend = new Map<string, CustomerRoutingContext>();
    const timezones = new Map<string, string>();
    const channelsOf = new Map<string, ReadonlySet<Channel>>();
    for (let i = 0; i < rows.length; i += CONTEXT_BATCH) {
      const batch = rows.slice(i, i + CONTEXT_BATCH);
      const loaded = await this.contexts.asOf(
        batch.map((r) => ({ customerId: r.customer_id, now: new Date(r.at) })),
      );
      loaded.forEach((l, j) => {
        if (l === null) return;
        const row = batch[j];
        let templateChannels = channelsOf.get(row.template);
        if (templateChannels === undefined) {
          templateChannels = this.templates.availableChannels(row.template);
          channelsOf.set(row.template, templateChannels);
        }
        bySend.set(row.id, { ...l.context, templateChannels });
        timezones.set(row.customer_id, l.context.timezone);
      });
    }
    return { bySend, timezones };
  }

  /** Both routes told in each language, as the preference centre tells a customer. */
  private explained(s: SimulationSample, timezones: ReadonlyMap<string, string>) {
    const timezone = timezones.get(s.customerId) ?? 'UTC';
    const explain = (route: SimulatedRoute) =>
      route.destination === 'suppressed'
        ? route
        : {
            ...route,
            explanation: Object.fromEntries(
              LANGUAGES.map((lang) => [
                lang,
                explainRoute(lang, {
                  channel: route.destination,
                  urgency: s.urgency,
                  reasons: route.reasons,
                  timezone,
                  preview: true,
                }),
              ]),
            ),
          };
    return { ...s, current: explain(s.current), proposed: explain(s.proposed) };
  }
}

function toPastSend(r: PastSendRow): PastSend {
  return {
    id: r.id,
    messageId: r.message_id,
    customerId: r.customer_id,
    at: new Date(r.at),
    intent: {
      topic: r.topic,
      urgency: r.urgency,
      purpose: r.purpose,
      template: r.template,
      ...(r.forced && r.channel !== null ? { channel: r.channel } : {}),
    },
    actual: r.channel !== null ? { channel: r.channel } : { suppression: r.suppression ?? '' },
  };
}
