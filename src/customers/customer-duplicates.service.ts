import { Injectable } from '@nestjs/common';
import { CustomerDuplicatesRepository } from './customer-duplicates.repository';
import { CustomersService } from './customers.service';
import { duplicateProbes, duplicateVerdict, type DuplicateReason } from './duplicate-score';

/** Most suggestions returned. */
export const DUPLICATES_SHOWN = 10;

export interface DuplicateSuggestion {
  customer: {
    id: string;
    displayName: string;
    identities: Array<{ kind: string; address: string }>;
    lastContactAt: string | null;
  };
  score: number;
  reasons: DuplicateReason[];
}

/** Customers that are likely the same person as a given one, strongest first. */
@Injectable()
export class CustomerDuplicatesService {
  constructor(
    private readonly customers: CustomersService,
    private readonly repo: CustomerDuplicatesRepository,
  ) {}

  async suggest(customerId: string): Promise<{ items: DuplicateSuggestion[] }> {
    const me = await this.customers.get(customerId);
    const candidates = await this.repo.candidates(customerId, duplicateProbes(me));
    const items = candidates
      .flatMap((c) => {
        const verdict = duplicateVerdict(me, c);
        if (!verdict) return [];
        return [
          {
            customer: {
              id: c.id,
              displayName: c.displayName,
              identities: c.identities,
              lastContactAt: c.lastContactAt ? new Date(c.lastContactAt).toISOString() : null,
            },
            ...verdict,
          },
        ];
      })
      .sort((a, b) => b.score - a.score || a.customer.id.localeCompare(b.customer.id))
      .slice(0, DUPLICATES_SHOWN);
    return { items };
  }
}
