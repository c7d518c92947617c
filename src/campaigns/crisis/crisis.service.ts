import { Readable } from 'stream';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../auth/auth.decorators';
import { CampaignsService } from '../campaigns.service';
import type { CampaignRow } from '../campaign-types';
import type { CreateCrisis } from './crisis.dto';
import { CrisisRepository } from './crisis.repository';
import { noticeHeaderLine, noticeLine } from './proof-of-notice';
import { shapeReach } from './reach';

/**
 * Crisis broadcasts: a campaign of kind `crisis`, urgency critical (quiet hours do not hold
 * it; the critical fallback chain with its read check applies), purpose service or
 * transactional, with a stated legal basis, launched only with a confirmation
 * (confirmation.ts); its live reach by channel and fallback hop, and its proof of notice.
 */
@Injectable()
export class CrisisService {
  /** Recipients per page of the proof-of-notice stream (a test lowers it). */
  noticePage = 500;

  constructor(
    private readonly campaigns: CampaignsService,
    private readonly repo: CrisisRepository,
    private readonly audit: AuditService,
  ) {}

  async create(body: CreateCrisis, author: Pick<AuthUser, 'id' | 'role'>) {
    const { legalBasis, ...rest } = body;
    return this.campaigns.create({ ...rest, urgency: 'critical' }, author, { legalBasis });
  }

  async reach(id: string) {
    const c = await this.campaigns.row(id);
    const [cells, recipients] = await Promise.all([
      this.repo.reachCells(id),
      this.repo.reachRecipients(id),
    ]);
    return {
      campaignId: id,
      kind: c.kind,
      status: c.status,
      ...recipients,
      ...shapeReach(cells),
      at: new Date().toISOString(),
    };
  }

  /** The campaign (404 when none) and its proof of notice as a CSV stream, page by page. */
  async proofOfNotice(
    id: string,
    full: boolean,
    userId: string | null,
  ): Promise<{ campaign: CampaignRow; stream: Readable }> {
    const c = await this.campaigns.row(id);
    await this.audit.record({
      actorId: userId,
      action: 'campaign.proof_of_notice',
      entityType: 'campaign',
      entityId: id,
      details: { address: full ? 'full' : 'masked' },
    });
    const repo = this.repo;
    const page = this.noticePage;
    async function* lines(): AsyncGenerator<string> {
      yield `\uFEFF${noticeHeaderLine()}\r\n`;
      let after: string | null = null;
      for (;;) {
        const rows = await repo.noticePage(id, c.purpose, after, page);
        if (rows.length === 0) return;
        let chunk = '';
        for (const r of rows) chunk += `${noticeLine(id, c.legal_basis, r, full)}\r\n`;
        yield chunk;
        const last = rows[rows.length - 1].customer_id;
        // Fewer recipients than a page: the last page.
        if (new Set(rows.map((r) => r.customer_id)).size < page) return;
        after = last;
      }
    }
    return { campaign: c, stream: Readable.from(lines()) };
  }
}
