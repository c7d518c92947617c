import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ConversionsRepository, type ConversionRecord } from './conversions.repository';

/** A conversion counts toward the last campaign touch (a send, an open or a click) within this many days. */
export const ATTRIBUTION_DAYS = 30;

export const conversionSchema = z
  .object({
    customerId: z.string().uuid(),
    orderId: z.string().trim().min(1).max(200),
    amount: z.number().nonnegative().max(1e11),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD or CNY'),
    occurredAt: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export type ConversionInput = z.infer<typeof conversionSchema>;

function view(c: ConversionRecord) {
  return { ...c, occurredAt: c.occurredAt.toISOString() };
}

/** POST /conversions: an order, attributed to the customer's last campaign touch; idempotent per orderId. */
@Injectable()
export class ConversionsService {
  constructor(private readonly repo: ConversionsRepository) {}

  async record(
    input: ConversionInput,
  ): Promise<{ created: boolean; conversion: ReturnType<typeof view> }> {
    if (!(await this.repo.customerExists(input.customerId)))
      throw notFound('customer', input.customerId);
    const at = input.occurredAt ? new Date(input.occurredAt) : new Date();
    const touch = await this.repo.lastTouch(input.customerId, at, ATTRIBUTION_DAYS);
    const inserted = await this.repo.insert({
      customerId: input.customerId,
      orderId: input.orderId,
      amount: input.amount,
      currency: input.currency,
      campaignId: touch?.campaignId ?? null,
      channel: touch?.channel ?? null,
      occurredAt: at,
    });
    if (inserted) return { created: true, conversion: view(inserted) };
    const existing = (await this.repo.byOrderId(input.orderId))!;
    if (existing.customerId !== input.customerId) {
      throw new DomainError(
        'conflict',
        `orderId: order ${input.orderId} is already recorded for another customer`,
      );
    }
    return { created: false, conversion: view(existing) };
  }
}
