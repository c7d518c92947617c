import type { BounceInfo, FeedbackInfo, ReceiptInfo } from '../../channel-adapters/email';
import type { NormalizedInbound } from '../channels/channel-port';

export interface ReportSubject {
  kind: 'bounce' | 'complaint' | 'receipt';
  /** The customer address the report is about. */
  address: string;
}

/**
 * Who a report is about: the failed recipient of a bounce, the complaining address of an ARF
 * report, the reader of a receipt. undefined: not a report; null: a report naming nobody. Pure.
 */
export function reportSubjectOf(n: NormalizedInbound): ReportSubject | null | undefined {
  const meta = n.metadata ?? {};
  const bounce = meta.bounce as BounceInfo | undefined;
  if (bounce) return bounce.recipient ? { kind: 'bounce', address: bounce.recipient } : null;
  const feedback = meta.feedback as FeedbackInfo | undefined;
  if (feedback)
    return feedback.complainant ? { kind: 'complaint', address: feedback.complainant } : null;
  const receipt = meta.receipt as ReceiptInfo | undefined;
  if (receipt) {
    const reader = receipt.reader ?? (n.from.includes('@') ? n.from : undefined);
    return reader ? { kind: 'receipt', address: reader } : null;
  }
  return undefined;
}
