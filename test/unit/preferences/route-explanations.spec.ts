import type { Language } from '../../../src/customer-texts/catalog';
import { durationName, explainRoute } from '../../../src/customer-texts/route-explanations';

type Row = [Language, string, string | null, string[], string[]];

describe(explainRoute.name, () => {
  const table: Row[] = [
    [
      'en',
      'sms',
      'high',
      ['sms chosen: preference matrix for orders/high'],
      ['By SMS because you chose SMS for Order updates, urgent.'],
    ],
    [
      'zh-CN',
      'sms',
      'high',
      ['sms chosen: preference matrix for orders/high'],
      ['通过短信发送，因为您为“订单动态，紧急”选择了短信。'],
    ],
    [
      'en',
      'email',
      'normal',
      ['email chosen: preference matrix for loyalty club/*'],
      ['By e-mail because you chose e-mail for loyalty club, any urgency.'],
    ],
    [
      'en',
      'wechat',
      'normal',
      ['wechat chosen: learned from engagement'],
      ['By WeChat because that is where you usually answer us.'],
    ],
    [
      'en',
      'email',
      'low',
      ['email chosen: default ranking for low'],
      ['By e-mail: our usual channel for not urgent messages (you had not chosen one).'],
    ],
    [
      'zh-CN',
      'voice',
      'critical',
      ['voice chosen: forced by the caller'],
      ['通过电话发送，因为我们的工作人员为这条消息指定了该渠道。'],
    ],
    [
      'en',
      'sms',
      'high',
      ['fallback to sms: email message delivered, not read within 300s'],
      ['By SMS because it was urgent and your e-mail was not read within 5 minutes.'],
    ],
    [
      'en',
      'sms',
      'normal',
      ['fallback to sms: email message sent, not delivered within 3600s'],
      ['By SMS because your e-mail was not delivered within 1 hour.'],
    ],
    [
      'zh-CN',
      'voice',
      'critical',
      ['fallback to voice: sms message delivered, not read or answered within 90s'],
      ['通过电话发送，因为消息紧急，而您的短信在 90 秒内未被阅读或回复。'],
    ],
    [
      'en',
      'email',
      'normal',
      [
        'email chosen: default ranking for normal',
        'delayed to 2026-03-01T00:00:00.000Z: quiet hours 22:00-08:00 Asia/Shanghai',
      ],
      [
        'By e-mail: our usual channel for normal messages (you had not chosen one).',
        'Held back until Mar 1, 2026, 8:00 AM because of your quiet hours (22:00–08:00).',
      ],
    ],
    [
      'zh-CN',
      'email',
      'normal',
      ['delayed to 2026-03-01T00:00:00.000Z: quiet hours 22:00-08:00 Asia/Shanghai'],
      ['因您的免打扰时段（22:00–08:00），延后到 2026年3月1日 08:00 发送。'],
    ],
    [
      'en',
      'sms',
      'critical',
      ['critical: sent now despite quiet hours 22:00-08:00 Europe/Berlin'],
      ['Sent during your quiet hours (22:00–08:00) because it was critical.'],
    ],
    [
      'en',
      'email',
      'normal',
      [
        'email chosen: learned from engagement',
        'sms excluded: consent revoked for marketing',
        'wechat excluded: no consent granted for marketing',
        'voice excluded: identity bounced',
        'livechat excluded: provider down (circuit open)',
      ],
      [
        'By e-mail because that is where you usually answer us.',
        'Not by SMS: you stopped Offers and news there.',
        'Not by WeChat: you had not allowed offers there.',
        'Not by phone call: messages to that address did not arrive.',
        'Not by live chat: it was not working at the time.',
      ],
    ],
    [
      'zh-CN',
      'email',
      'normal',
      ['sms excluded: consent revoked for marketing'],
      ['未通过短信发送：您已在该渠道停止接收优惠和资讯。'],
    ],
    [
      'en',
      'email',
      'normal',
      [
        'email chosen: learned from engagement',
        'sms excluded: no address',
        'voice excluded: template x has no voice variant',
        'unknown timezone Mars/Base: treated as UTC',
      ],
      [
        'By e-mail because that is where you usually answer us.',
        'Your time zone was not recognised, so we used UTC.',
      ],
    ],
    ['en', 'sms', null, [], ['Sent by SMS.']],
    ['zh-CN', 'livechat', null, ['something new we do not know'], ['通过在线聊天发送。']],
  ];

  it.each(table)('%s %s (%s): %j', (lang, channel, urgency, reasons, expected) => {
    expect(explainRoute(lang, { channel, urgency, reasons })).toEqual(expected);
  });

  describe('digests', () => {
    const open =
      'gathered into digest 0b7c6d1e-0000-4000-8000-000000000001, due 2026-03-01T02:00:00.000Z';
    const fresh =
      'gathered into a new digest due 2026-03-01T00:00:00.000Z (pushed past quiet hours from 2026-02-28T15:00:00.000Z): ' +
      'a low-urgency message went at 2026-02-28T14:00:00.000Z, within 60 min';
    const facts = (reasons: string[], extra: object = {}) => ({
      channel: 'email',
      urgency: 'low',
      reasons,
      timezone: 'Asia/Shanghai',
      ...extra,
    });

    it('says a message was gathered into a digest, when it went, in both languages', () => {
      expect(explainRoute('en', facts(['email chosen: default ranking for low', open]))).toEqual([
        'By e-mail: our usual channel for not urgent messages (you had not chosen one).',
        'Gathered with your other low-priority messages into one digest, due Mar 1, 2026, 10:00 AM, so that we do not contact you for each one.',
      ]);
      expect(explainRoute('zh-CN', facts([open]))).toEqual([
        '已与您的其他低优先级消息合并为一条摘要，于 2026年3月1日 10:00 发送，以免逐条打扰您。',
      ]);
      expect(explainRoute('en', facts([fresh]))).toEqual([
        'Gathered with your other low-priority messages into one digest, due Mar 1, 2026, 8:00 AM, so that we do not contact you for each one. The digest waits until your quiet hours are over.',
      ]);
      expect(explainRoute('zh-CN', facts([fresh]))).toEqual([
        '已与您的其他低优先级消息合并为一条摘要，于 2026年3月1日 08:00 发送，以免逐条打扰您。摘要会等到您的免打扰时段结束后再发送。',
      ]);
    });

    it('says in a preview that the message would be gathered', () => {
      expect(explainRoute('en', facts([open], { preview: true }))).toEqual([
        'Will be gathered with your other low-priority messages into one digest, due Mar 1, 2026, 10:00 AM, instead of going on its own.',
      ]);
      expect(explainRoute('zh-CN', facts([open], { preview: true }))).toEqual([
        '将与您的其他低优先级消息合并为一条摘要，于 2026年3月1日 10:00 发送，而不单独发送。',
      ]);
    });

    it('says what a digest is, and when a message went alone because its channel was forced', () => {
      const carries = (n: number) =>
        `digest d1 carries ${n} message(s): ${Array.from({ length: n }, (_, i) => `m${i}`).join(', ')}`;
      expect(explainRoute('en', facts([carries(3), 'left out m9: consent revoked']))).toEqual([
        'A digest: 3 low-priority messages in one, instead of one message for each.',
      ]);
      expect(explainRoute('zh-CN', facts([carries(2)]))).toEqual([
        '这是一条摘要：2 条低优先级消息合为一条，而不是逐条发送。',
      ]);
      expect(explainRoute('en', facts([carries(1)]))).toEqual([
        'A digest of a low-priority message we held back so as not to contact you too often.',
      ]);
      expect(
        explainRoute('zh-CN', facts(['not gathered into a digest: channel forced by the caller'])),
      ).toEqual(['单独发送，未合并到摘要中，因为我们的工作人员指定了该渠道。']);
    });
  });

  it('says durations as people do', () => {
    expect([45, 60, 90, 300, 3600, 7200, 5400].map((s) => durationName('en', s))).toEqual([
      '45 seconds',
      '1 minute',
      '90 seconds',
      '5 minutes',
      '1 hour',
      '2 hours',
      '90 minutes',
    ]);
    expect(durationName('zh-CN', 600)).toBe('10 分钟');
  });
});
