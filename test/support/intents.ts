/** A routed message intent for the shipped `order-shipped` template, with its data filled in. */
export function orderShippedIntent(
  customerId: string,
  orderId = 'A-1',
  extra: Record<string, unknown> = {},
) {
  return {
    customerId,
    topic: 'orders',
    urgency: 'high',
    purpose: 'transactional',
    template: 'order-shipped',
    data: {
      order: {
        id: orderId,
        carrier: 'SF',
        trackingUrl: `https://t.example/${orderId}`,
        total: 1,
        currency: 'CNY',
        shippedAt: '2025-03-10T04:00:00Z',
      },
    },
    ...extra,
  };
}
