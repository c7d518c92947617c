import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError, notFound } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../events/domain-events';
import type { Purpose, Role } from '../common/names';
import { TemplateEngine } from '../templates/template-engine';
import { purposeRefusal } from '../templates/purposes';
import type { CreateCampaign } from './campaign.dto';
import { PausedSendsService } from './paused-sends.service';
import { CampaignFanoutService } from './campaign-fanout.service';
import { campaignView, type CampaignRow, type CampaignStatus } from './campaign-types';
import { CampaignsRepository, type StatusChange } from './campaigns.repository';
import { confirmationRefusal } from './crisis/confirmation';
import type { Segment } from './segment';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Campaign lifecycle: draft -> (scheduled) -> running <-> paused -> completed | cancelled. A
 * campaign completes when its fan-out is done and none of its sends is held by quiet hours any
 * more; cancelling it cancels the held sends.
 */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly fanout: CampaignFanoutService,
    private readonly pausedSends: PausedSendsService,
    private readonly engine: TemplateEngine,
    private readonly config: AppConfig,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
  ) {}

  /** Each template the campaign sends must allow its purpose; a marketer's campaigns are marketing. */
  private checkPurpose(templates: string[], purpose: Purpose, role: Role | null): void {
    for (const t of templates) {
      const refusal = purposeRefusal(t, this.engine.purposesOf(t), purpose, role);
      if (refusal) throw refusal;
    }
  }

  /** `crisis`: a crisis broadcast (crisis/crisis.service.ts), with its stated legal basis. */
  async create(
    body: CreateCampaign,
    author: Pick<AuthUser, 'id' | 'role'> | null,
    crisis: { legalBasis: string } | null = null,
  ) {
    const userId = author?.id ?? null;
    this.check(body, author);
    const batch =
      body.batchSize ??
      Math.min(this.config.env.CAMPAIGN_BATCH_SIZE, body.ratePerSecond ?? Number.MAX_SAFE_INTEGER);
    const created = await this.campaigns.create(body, batch, userId, crisis);
    await this.audit.record({
      actorId: userId,
      action: 'campaign.create',
      entityType: 'campaign',
      entityId: created.id,
      details: { name: body.name, ...(crisis ? { kind: 'crisis', ...crisis } : {}) },
    });
    return campaignView(created);
  }

  /** What a campaign definition must pass before it is created (or dry-run): known templates, purpose, crisis approval. */
  check(body: CreateCampaign, author: Pick<AuthUser, 'role'> | null): void {
    const templates = body.variants ? body.variants.map((v) => v.template) : [body.template];
    for (const t of templates) {
      if (this.engine.availableChannels(t).size === 0)
        throw new DomainError('unprocessable', `template: unknown template "${t}"`);
    }
    this.checkPurpose(templates, body.purpose, author?.role ?? null);
    if (body.urgency === 'critical') {
      const approved = this.config.env.CRISIS_TEMPLATES;
      const bad = templates.find((t) => !approved.includes(t));
      if (bad !== undefined) {
        throw new DomainError(
          'unprocessable',
          `template: "${bad}" is not pre-approved for critical (crisis) campaigns (CRISIS_TEMPLATES: ${approved.join(', ') || 'none'})`,
        );
      }
    }
  }

  async row(id: string): Promise<CampaignRow> {
    if (!UUID.test(id))
      throw new DomainError('bad_request', `id: "${id.slice(0, 64)}" is not a UUID`);
    const c = await this.campaigns.byId(id);
    if (!c) throw notFound('campaign', id);
    return c;
  }

  async get(id: string) {
    return campaignView(await this.row(id));
  }

  async list(limit = 50) {
    return { items: (await this.campaigns.newest(limit)).map(campaignView) };
  }

  async previewCount(segment: Segment): Promise<{ count: number }> {
    return { count: await this.campaigns.audienceSize(segment) };
  }

  /** A crisis broadcast needs `confirm` (its name): who confirmed, and when, is recorded. */
  async launch(id: string, author: Pick<AuthUser, 'id' | 'role'> | null, confirm?: string) {
    const userId = author?.id ?? null;
    const c = await this.row(id);
    const refusal = confirmationRefusal(c, confirm);
    if (refusal) throw refusal;
    // Templates may have changed since the campaign was written.
    this.checkPurpose(
      c.variants?.length ? c.variants.map((v) => v.template) : [c.template],
      c.purpose,
      author?.role ?? null,
    );
    const later =
      c.send_at && new Date(c.send_at).getTime() > Date.now() ? new Date(c.send_at) : undefined;
    const next = await this.transition(id, ['draft'], later ? 'scheduled' : 'running', {
      launched: true,
      ...(c.kind === 'crisis' ? { confirmedBy: userId } : {}),
    });
    await this.fanout.startChain(id, next.generation, 1, later);
    await this.audit.record({
      actorId: userId,
      action: 'campaign.launch',
      entityType: 'campaign',
      entityId: id,
      details: c.kind === 'crisis' ? { kind: 'crisis', confirmed: true } : {},
    });
    return campaignView(next);
  }

  async pause(id: string, userId: string | null) {
    const next = await this.transition(id, ['running', 'scheduled'], 'paused');
    await this.audit.record({
      actorId: userId,
      action: 'campaign.pause',
      entityType: 'campaign',
      entityId: id,
      details: {},
    });
    return campaignView(next);
  }

  /** Continues from the keyset cursor with a new chain generation (the paused chain's jobs stand down). */
  async resume(id: string, userId: string | null) {
    const next = await this.transition(id, ['paused'], 'running', { newGeneration: true });
    await this.fanout.startChain(id, next.generation, next.batches_done + 1);
    // Sends whose turn came during the pause go now, or when the customer's quiet hours end.
    const held = await this.pausedSends.release(id, next.generation);
    await this.audit.record({
      actorId: userId,
      action: 'campaign.resume',
      entityType: 'campaign',
      entityId: id,
      details: held,
    });
    return campaignView(next);
  }

  async cancel(id: string, userId: string | null) {
    const next = await this.transition(
      id,
      ['draft', 'scheduled', 'running', 'paused'],
      'cancelled',
    );
    // Sends held by quiet hours have not gone yet: they go no more.
    const heldCancelled = await this.campaigns.cancelHeld(id);
    await this.audit.record({
      actorId: userId,
      action: 'campaign.cancel',
      entityType: 'campaign',
      entityId: id,
      details: { heldCancelled },
    });
    return campaignView(next);
  }

  private async transition(
    id: string,
    from: CampaignStatus[],
    to: CampaignStatus,
    change: StatusChange = {},
  ): Promise<CampaignRow> {
    const current = await this.row(id);
    const row = await this.campaigns.moveStatus(id, from, to, change);
    if (!row)
      throw new DomainError(
        'conflict',
        `status: campaign ${id} is ${current.status}; it must be ${from.join(' or ')} to become ${to}`,
      );
    this.events.emit('campaign.progress', {
      campaignId: id,
      status: row.status,
      batches: row.batches_done,
      recipients: row.recipients_count,
      sent: row.sent_count,
      suppressed: row.suppressed_count,
      done: row.status === 'completed' || row.status === 'cancelled',
    });
    return row;
  }
}
