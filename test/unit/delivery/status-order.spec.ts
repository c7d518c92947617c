import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../src/common/names';
import { nextDeliveryStatus } from '../../../src/delivery/status-order';

describe(nextDeliveryStatus.name, () => {
  const table: [DeliveryStatus, DeliveryStatus, DeliveryStatus][] = [
    ['queued', 'sent', 'sent'],
    ['queued', 'delivered', 'delivered'],
    ['sent', 'delivered', 'delivered'],
    ['delivered', 'read', 'read'],
    ['sent', 'queued', 'sent'],
    ['delivered', 'sent', 'delivered'],
    ['delivered', 'queued', 'delivered'],
    ['read', 'delivered', 'read'],
    ['read', 'sent', 'read'],
    ['queued', 'failed', 'failed'],
    ['sent', 'undelivered', 'undelivered'],
    ['failed', 'sent', 'failed'],
    ['failed', 'queued', 'failed'],
    ['undelivered', 'sent', 'undelivered'],
    ['failed', 'delivered', 'delivered'],
    ['undelivered', 'delivered', 'delivered'],
    ['undelivered', 'read', 'read'],
    ['failed', 'undelivered', 'failed'],
    ['undelivered', 'failed', 'undelivered'],
    ['delivered', 'failed', 'delivered'],
    ['read', 'undelivered', 'read'],
    ['queued', 'suppressed', 'suppressed'],
    ['sent', 'suppressed', 'sent'],
    ['suppressed', 'sent', 'suppressed'],
    ['suppressed', 'delivered', 'suppressed'],
    ['suppressed', 'failed', 'suppressed'],
    ['queued', 'unknown', 'unknown'],
    ['unknown', 'sent', 'sent'],
    ['unknown', 'delivered', 'delivered'],
    ['unknown', 'undelivered', 'undelivered'],
    ['unknown', 'queued', 'unknown'],
    ['sent', 'unknown', 'sent'],
    ['delivered', 'unknown', 'delivered'],
  ];

  it.each(table)('%s then %s -> %s', (current, incoming, expected) => {
    expect(nextDeliveryStatus(current, incoming)).toBe(expected);
  });

  it('keeps a status when the same one arrives again', () => {
    for (const status of DELIVERY_STATUSES) expect(nextDeliveryStatus(status, status)).toBe(status);
  });

  it('never lets a late sent overwrite delivered, whatever came between', () => {
    const arrivals: DeliveryStatus[] = ['delivered', 'sent', 'queued', 'sent'];
    expect(arrivals.reduce(nextDeliveryStatus, 'queued' as DeliveryStatus)).toBe('delivered');
  });

  it('ends in the same state for any arrival order of sent, delivered, read', () => {
    const orders: DeliveryStatus[][] = [
      ['sent', 'delivered', 'read'],
      ['read', 'delivered', 'sent'],
      ['delivered', 'read', 'sent'],
      ['sent', 'read', 'delivered'],
    ];
    for (const order of orders)
      expect(order.reduce(nextDeliveryStatus, 'queued' as DeliveryStatus)).toBe('read');
  });
});
