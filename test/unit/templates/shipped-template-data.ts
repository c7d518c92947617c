/**
 * Data that renders every shipped template: the template tests render each one with it and fail
 * when a template needs a value missing here (add it), instead of skipping that template.
 */
export const plainData = {
  customer: { name: 'Ada <Lovelace>' },
  order: {
    id: 'A-1001',
    total: 1234.5,
    currency: 'CNY',
    carrier: 'SF',
    shippedAt: '2025-03-10T04:00:00Z',
    trackingUrl: 'https://t.example/A',
  },
  text: 'Thanks for waiting, your refund is on its way. '.repeat(4),
  subject: 'Re: refund',
  appointment: { id: 'AP-7', at: '2025-03-10T04:00:00Z', location: 'Lab 2', place: 'Shop 1' },
  alert: { title: 'Outage', summary: 'Payments are delayed.', statusUrl: 'https://status.example' },
  survey: { url: 'https://s.example' },
  offer: { code: 'WELCOME10', percent: 10, until: '2025-04-01T00:00:00Z' },
  company: 'Acme',
  unsubscribeUrl: 'https://hub.example/u/tok?a=1&b=2',
  preferencesUrl: 'https://hub.example/p/tok',
  code: '123456',
  minutes: 10,
  // digest
  count: 2,
  items: [
    { id: 'm1', subject: 'Your order A-1001 has shipped', text: 'Track it: https://t.example/A', topic: 'orders' },
    { id: 'm2', subject: null, text: 'Your appointment is on Monday.', topic: 'appointments' },
  ],
};

/** Values that html-to-text would reshape if they went through it: markup, entities, runs of
 * whitespace and line breaks, a backslash, mustache-like text. */
export const hostileData = {
  ...plainData,
  customer: { name: 'Ada  <b>Lovelace</b>\n& "Co"' },
  order: {
    id: 'A-1001 &amp; {{x}}',
    total: 1234.5,
    currency: 'CNY',
    carrier: 'SF\t\tExpress \\ Air',
    shippedAt: '2025-03-10T04:00:00Z',
    trackingUrl: 'https://t.example/A?x=1&y=<2>',
  },
  text: 'Line one\n\nline   two <script>alert(1)</script>\n'.repeat(5).trim(),
  alert: { title: 'Outage <now>', summary: 'Payments   are\ndelayed.', statusUrl: 'https://s.example' },
  offer: { code: 'W <10> & {{y}}', percent: 10, until: '2025-04-01T00:00:00Z' },
  company: 'Acme & Sons',
  items: [
    { id: 'm1', subject: 'Re: <b>refund</b> & {{z}}', text: 'Line one\n\nline   two <i>x</i>', topic: 'orders' },
    { id: 'm2', subject: null, text: '  spaced\ttext \\ end ', topic: null },
  ],
};
