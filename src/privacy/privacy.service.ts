import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../common/errors/domain-error';
import { DomainEvents } from '../events/domain-events';
import { PrivacyRepository } from './privacy.repository';
import { QueuedJobRemover } from './queued-jobs.remover';

/** A customer's data: exported whole (every access audited) or erased (aggregates kept). */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly repo: PrivacyRepository,
    private readonly audit: AuditService,
    private readonly queuedJobs: QueuedJobRemover,
    private readonly events: DomainEvents,
  ) {}

  async export(customerId: string, actorId: string) {
    const customer = await this.repo.customer(customerId);
    if (!customer) throw notFound('customer', customerId);
    const data = {
      exportedAt: new Date().toISOString(),
      customer,
      ...(await this.repo.exportOf(customerId)),
    };
    await this.audit.record({
      actorId,
      action: 'customer.export',
      entityType: 'customer',
      entityId: customerId,
      details: { messages: data.messages.length, identities: data.identities.length },
    });
    return data;
  }

  /**
   * Removes the personal data of the customer and of every customer merged into it, in one
   * transaction (rows that aggregates count stay, their content does not), their digests not
   * yet sent cancelled, then takes the deleted job rows' jobs out of the queue. Erasing again
   * finds nothing more to remove.
   */
  async erase(customerId: string, actorId: string) {
    const { counts, jobs } = await this.repo.transaction(async (m) => {
      const scope = await this.repo.lockScope(m, customerId);
      if (!scope) throw notFound('customer', customerId);
      // Their digests first: nothing waiting in one is sent to them afterwards.
      const digests = await this.repo.cancelDigests(m, scope);
      const erasedJobs = [...digests.jobs, ...(await this.repo.eraseJobs(m, scope))];
      const rows = await this.repo.eraseRows(m, scope);
      const all = { ...rows, jobs: erasedJobs.length, digests: digests.digests };
      await this.audit.record(
        {
          actorId,
          action: 'customer.erase',
          entityType: 'customer',
          entityId: customerId,
          details: all,
        },
        m,
      );
      return { counts: all, jobs: erasedJobs };
    });
    await this.queuedJobs.remove(jobs);
    this.events.emit('customer.erased', { customerId });
    return {
      id: customerId,
      erased: true,
      identitiesRemoved: counts.identities,
      messagesBlanked: counts.messages,
      mergedCustomersErased: counts.customers - 1,
      attachmentsRemoved: counts.attachments,
      jobsRemoved: counts.jobs,
      digestsCancelled: counts.digests,
    };
  }
}
