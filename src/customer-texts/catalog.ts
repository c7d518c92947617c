/**
 * The customer-facing texts (preference centre, unsubscribe page, the plain-words explanation of
 * a route that the routing preview also gives), in English and Simplified Chinese. Kept apart from
 * the preferences and messages domains, which both use them.
 *
 * Every string the customer-facing pages (preference centre, unsubscribe) show, in English and
 * Simplified Chinese. `{name}` placeholders are filled by `t`; values are escaped by the page,
 * never here.
 */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

const en = {
  'page.title': 'How we reach you',
  'page.greeting': 'Hello {name}. Here you choose how and when we contact you.',
  'page.language': 'Language',
  'page.linkExpires': 'This link is personal; it works until {date}.',
  'page.critical':
    'Security alerts and service outages always reach you, on your most urgent channel: they cannot be switched off here.',
  'page.noJs': 'Every change is saved when you press its button.',

  'matrix.title': 'Channels per topic',
  'matrix.help':
    'For each kind of message, the channels we try, most preferred first. Topics you do not list use our usual order.',
  'matrix.empty': 'You have not chosen channels yet: we use our usual order.',
  'matrix.row': '{topic}, {urgency}: {channels}',
  'matrix.then': ', then ',
  'matrix.topic': 'Topic',
  'matrix.urgency': 'Urgency',
  'matrix.first': 'First choice',
  'matrix.second': 'Then',
  'matrix.third': 'Then',
  'matrix.none': '(none)',
  'matrix.save': 'Save',
  'matrix.remove': 'Remove',
  'matrix.add': 'Add a topic',
  'matrix.addButton': 'Add',

  'topic.*': 'All topics',
  'topic.orders': 'Order updates',
  'topic.order': 'Order updates',
  'topic.shipping': 'Deliveries',
  'topic.appointments': 'Appointments',
  'topic.account': 'Your account',
  'topic.security': 'Security',
  'topic.billing': 'Billing',
  'topic.support': 'Support conversations',
  'topic.marketing': 'Offers and news',
  'topic.promo': 'Offers and news',
  'topic.sale': 'Sales',
  'topic.news': 'News',

  'urgency.*': 'any urgency',
  'urgency.low': 'not urgent',
  'urgency.normal': 'normal',
  'urgency.high': 'urgent',
  'urgency.critical': 'critical',

  'channel.email': 'e-mail',
  'channel.sms': 'SMS',
  'channel.voice': 'phone call',
  'channel.wechat': 'WeChat',
  'channel.livechat': 'live chat',
  'channel.whatsapp': 'WhatsApp',

  'quiet.title': 'Quiet hours and time zone',
  'quiet.help':
    'During quiet hours we hold messages back until the end of the window; critical messages still come.',
  'quiet.current': 'Quiet from {start} to {end} ({timezone}).',
  'quiet.none': 'No quiet hours: we may write at any time ({timezone}).',
  'quiet.start': 'From',
  'quiet.end': 'Until',
  'quiet.off': 'No quiet hours',
  'quiet.timezone': 'Time zone',
  'quiet.save': 'Save quiet hours',

  'consent.title': 'What we may send, and where',
  'consent.help': 'Offers and news need your agreement per channel. You can change it at any time.',
  'consent.purpose.marketing': 'Offers and news',
  'consent.purpose.service': 'Service messages',
  'consent.purpose.transactional': 'Orders, receipts and codes',
  'consent.granted': 'Allowed',
  'consent.revoked': 'Stopped',
  'consent.unset': 'Not asked yet',
  'consent.locked': 'Always on (security, outages, your orders)',
  'consent.grant': 'Allow',
  'consent.revoke': 'Stop',
  'consent.resubscribe': 'Subscribe again',
  'consent.noChannels': 'We hold no address for you, so we cannot send you anything.',

  'addresses.title': 'Addresses we hold',
  'addresses.none': 'None.',
  'addresses.status.active': 'in use',
  'addresses.status.undeliverable': 'not reachable',
  'addresses.status.bounced': 'bounced',

  'why.title': 'Why you heard from us',
  'why.help': 'Your latest messages from us, and why each came the way it did.',
  'why.none': 'We have not sent you anything yet.',
  'why.sentBy': '{date}, by {channel}',

  'why.chosen.forced': 'By {channel} because our team chose that channel for this message.',
  'why.chosen.matrix': 'By {channel} because you chose {channel} for {topic}, {urgency}.',
  'why.chosen.learned': 'By {channel} because that is where you usually answer us.',
  'why.chosen.default':
    'By {channel}: our usual channel for {urgency} messages (you had not chosen one).',
  'why.quiet.despite': 'Sent during your quiet hours ({start}–{end}) because it was {urgency}.',
  'why.quiet.delayed': 'Held back until {time} because of your quiet hours ({start}–{end}).',
  'why.timezone.unknown': 'Your time zone was not recognised, so we used UTC.',
  'why.excluded.revoked': 'Not by {channel}: you stopped {purpose} there.',
  'why.excluded.noMarketingConsent': 'Not by {channel}: you had not allowed offers there.',
  'why.excluded.undeliverable': 'Not by {channel}: messages to that address did not arrive.',
  'why.excluded.down': 'Not by {channel}: it was not working at the time.',
  'why.fallback.urgent':
    'By {channel} because it was urgent and your {previous} was not {state} within {duration}.',
  'why.fallback.plain': 'By {channel} because your {previous} was not {state} within {duration}.',
  'why.state.delivered': 'delivered',
  'why.state.read': 'read',
  'why.state.readOrAnswered': 'read or answered',
  'why.plain': 'Sent by {channel}.',
  'why.digest.gathered':
    'Gathered with your other low-priority messages into one digest, due {time}, so that we do not contact you for each one.',
  'why.digest.willGather':
    'Will be gathered with your other low-priority messages into one digest, due {time}, instead of going on its own.',
  'why.digest.pushed': 'The digest waits until your quiet hours are over.',
  'why.digest.carried':
    'A digest: {n} low-priority messages in one, instead of one message for each.',
  'why.digest.carriedOne':
    'A digest of a low-priority message we held back so as not to contact you too often.',
  'why.digest.forced': 'Sent on its own, not in a digest, because our team chose its channel.',

  'duration.seconds': '{n} seconds',
  'duration.minute': '1 minute',
  'duration.minutes': '{n} minutes',
  'duration.hour': '1 hour',
  'duration.hours': '{n} hours',

  'done.matrix': 'Your channels are saved.',
  'done.matrixRemoved': 'The topic is removed.',
  'done.quiet': 'Your quiet hours and time zone are saved.',
  'done.granted': 'Saved: {purpose} by {channel} allowed.',
  'done.revoked': 'Saved: {purpose} by {channel} stopped.',

  'error.title': 'That did not work',
  'error.back': 'Back to your preferences',
  'error.invalidLink':
    'This link is not valid. Please use the newest link from one of our messages.',
  'error.expiredLink':
    'This link expired on {date}. Please use the link in a newer message from us, or ask us for a new one.',
  'error.gone': 'We no longer hold preferences for you.',
  'error.locked':
    'Service messages (security alerts, outages, your orders) cannot be switched off here: we need them to keep you and your account safe.',
  'error.stale': 'This page was out of date. Please look at it again and repeat your change.',
  'bad.topic': 'Topic: 1 to 64 letters, digits, dashes or dots, or * for all topics.',
  'bad.urgency': 'Urgency: choose one from the list.',
  'bad.channel': 'Channels: choose channels from the list, the first one at least, none twice.',
  'bad.time': 'Quiet hours: times must look like 22:00 (24 hours).',
  'bad.timezone': 'Time zone: choose one from the list.',
  'bad.purpose': 'Purpose: choose one from the list.',
  'bad.status': 'Choose allow or stop.',
  'bad.row': 'That topic is no longer on the page.',
  'bad.form': 'The form was not understood.',

  'unsubscribe.title': 'Unsubscribe',
  'unsubscribe.question': 'Stop offers and news by {channel}?',
  'unsubscribe.button': 'Unsubscribe',
  'unsubscribe.done': 'You are unsubscribed.',
  'unsubscribe.doneDetail': 'We will not send you offers and news by {channel} any more.',
  'unsubscribe.more': 'Choose more precisely how we reach you',
} as const;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  'page.title': '联系方式偏好',
  'page.greeting': '{name}，您好。您可以在这里选择我们联系您的方式和时间。',
  'page.language': '语言',
  'page.linkExpires': '此链接仅供您本人使用，有效期至 {date}。',
  'page.critical': '安全警报和服务中断通知会通过您最紧急的渠道始终送达，无法在此关闭。',
  'page.noJs': '每项更改在按下对应按钮后保存。',

  'matrix.title': '各类消息的渠道',
  'matrix.help': '为每类消息选择我们依次尝试的渠道（首选在前）。未列出的类别使用我们的默认顺序。',
  'matrix.empty': '您尚未选择渠道：我们将使用默认顺序。',
  'matrix.row': '{topic}，{urgency}：{channels}',
  'matrix.then': '，其次',
  'matrix.topic': '类别',
  'matrix.urgency': '紧急程度',
  'matrix.first': '首选',
  'matrix.second': '其次',
  'matrix.third': '再次',
  'matrix.none': '（无）',
  'matrix.save': '保存',
  'matrix.remove': '删除',
  'matrix.add': '添加类别',
  'matrix.addButton': '添加',

  'topic.*': '所有类别',
  'topic.orders': '订单动态',
  'topic.order': '订单动态',
  'topic.shipping': '配送',
  'topic.appointments': '预约',
  'topic.account': '您的账户',
  'topic.security': '安全',
  'topic.billing': '账单',
  'topic.support': '客服对话',
  'topic.marketing': '优惠和资讯',
  'topic.promo': '优惠和资讯',
  'topic.sale': '促销',
  'topic.news': '资讯',

  'urgency.*': '任何紧急程度',
  'urgency.low': '不紧急',
  'urgency.normal': '一般',
  'urgency.high': '紧急',
  'urgency.critical': '非常紧急',

  'channel.email': '邮件',
  'channel.sms': '短信',
  'channel.voice': '电话',
  'channel.wechat': '微信',
  'channel.livechat': '在线聊天',
  'channel.whatsapp': 'WhatsApp',

  'quiet.title': '免打扰时段和时区',
  'quiet.help': '免打扰时段内的消息会延后到时段结束后发送；非常紧急的消息仍会送达。',
  'quiet.current': '免打扰：{start} 至 {end}（{timezone}）。',
  'quiet.none': '未设免打扰时段：我们可能随时联系您（{timezone}）。',
  'quiet.start': '从',
  'quiet.end': '到',
  'quiet.off': '不设免打扰时段',
  'quiet.timezone': '时区',
  'quiet.save': '保存免打扰时段',

  'consent.title': '我们可以发送什么、通过哪里',
  'consent.help': '优惠和资讯需要您按渠道同意，您可随时更改。',
  'consent.purpose.marketing': '优惠和资讯',
  'consent.purpose.service': '服务消息',
  'consent.purpose.transactional': '订单、收据和验证码',
  'consent.granted': '已允许',
  'consent.revoked': '已停止',
  'consent.unset': '尚未询问',
  'consent.locked': '始终开启（安全、服务中断、您的订单）',
  'consent.grant': '允许',
  'consent.revoke': '停止',
  'consent.resubscribe': '重新订阅',
  'consent.noChannels': '我们没有您的任何联系地址，因此无法向您发送消息。',

  'addresses.title': '我们保存的联系地址',
  'addresses.none': '无。',
  'addresses.status.active': '使用中',
  'addresses.status.undeliverable': '无法送达',
  'addresses.status.bounced': '已退回',

  'why.title': '我们为何这样联系您',
  'why.help': '我们最近发给您的消息，以及每条消息为何这样发送。',
  'why.none': '我们尚未向您发送任何消息。',
  'why.sentBy': '{date}，通过{channel}',

  'why.chosen.forced': '通过{channel}发送，因为我们的工作人员为这条消息指定了该渠道。',
  'why.chosen.matrix': '通过{channel}发送，因为您为“{topic}，{urgency}”选择了{channel}。',
  'why.chosen.learned': '通过{channel}发送，因为您通常在那里回复我们。',
  'why.chosen.default': '通过{channel}发送：这是{urgency}消息的默认渠道（您尚未选择）。',
  'why.quiet.despite': '在您的免打扰时段（{start}–{end}）内发送，因为消息{urgency}。',
  'why.quiet.delayed': '因您的免打扰时段（{start}–{end}），延后到 {time} 发送。',
  'why.timezone.unknown': '无法识别您的时区，因此按 UTC 处理。',
  'why.excluded.revoked': '未通过{channel}发送：您已在该渠道停止接收{purpose}。',
  'why.excluded.noMarketingConsent': '未通过{channel}发送：您尚未允许在该渠道接收优惠。',
  'why.excluded.undeliverable': '未通过{channel}发送：发往该地址的消息未能送达。',
  'why.excluded.down': '未通过{channel}发送：该渠道当时无法使用。',
  'why.fallback.urgent':
    '通过{channel}发送，因为消息紧急，而您的{previous}在 {duration}内未被{state}。',
  'why.fallback.plain': '通过{channel}发送，因为您的{previous}在 {duration}内未被{state}。',
  'why.state.delivered': '送达',
  'why.state.read': '阅读',
  'why.state.readOrAnswered': '阅读或回复',
  'why.plain': '通过{channel}发送。',
  'why.digest.gathered': '已与您的其他低优先级消息合并为一条摘要，于 {time} 发送，以免逐条打扰您。',
  'why.digest.willGather': '将与您的其他低优先级消息合并为一条摘要，于 {time} 发送，而不单独发送。',
  'why.digest.pushed': '摘要会等到您的免打扰时段结束后再发送。',
  'why.digest.carried': '这是一条摘要：{n} 条低优先级消息合为一条，而不是逐条发送。',
  'why.digest.carriedOne': '这是一条摘要，内含一条为避免过于频繁打扰您而暂缓发送的低优先级消息。',
  'why.digest.forced': '单独发送，未合并到摘要中，因为我们的工作人员指定了该渠道。',

  'duration.seconds': '{n} 秒',
  'duration.minute': '1 分钟',
  'duration.minutes': '{n} 分钟',
  'duration.hour': '1 小时',
  'duration.hours': '{n} 小时',

  'done.matrix': '渠道已保存。',
  'done.matrixRemoved': '该类别已删除。',
  'done.quiet': '免打扰时段和时区已保存。',
  'done.granted': '已保存：允许通过{channel}接收{purpose}。',
  'done.revoked': '已保存：停止通过{channel}接收{purpose}。',

  'error.title': '操作未成功',
  'error.back': '返回偏好设置',
  'error.invalidLink': '此链接无效。请使用我们消息中最新的链接。',
  'error.expiredLink': '此链接已于 {date} 过期。请使用我们较新消息中的链接，或联系我们获取新链接。',
  'error.gone': '我们已不再保存您的偏好设置。',
  'error.locked':
    '服务消息（安全警报、服务中断、您的订单）无法在此关闭：我们需要它们来保障您和您账户的安全。',
  'error.stale': '此页面已过期。请重新查看后再次更改。',
  'bad.topic': '类别：1 到 64 个字母、数字、短横线或点，或用 * 表示所有类别。',
  'bad.urgency': '紧急程度：请从列表中选择。',
  'bad.channel': '渠道：请从列表中选择，至少选择首选，且不可重复。',
  'bad.time': '免打扰时段：时间格式应为 22:00（24 小时制）。',
  'bad.timezone': '时区：请从列表中选择。',
  'bad.purpose': '用途：请从列表中选择。',
  'bad.status': '请选择允许或停止。',
  'bad.row': '该类别已不在页面上。',
  'bad.form': '无法识别该表单。',

  'unsubscribe.title': '退订',
  'unsubscribe.question': '停止通过{channel}接收优惠和资讯？',
  'unsubscribe.button': '退订',
  'unsubscribe.done': '您已退订。',
  'unsubscribe.doneDetail': '我们将不再通过{channel}向您发送优惠和资讯。',
  'unsubscribe.more': '更细致地选择我们联系您的方式',
};

export const CATALOG: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = {
  en,
  'zh-CN': zhCN,
};

/** The text of `key` in `lang` with `{name}` placeholders filled (unknown ones left as they are). */
export function t(
  lang: Language,
  key: MessageKey,
  vars: Record<string, string | number> = {},
): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** Whether a string is a catalog key (topic labels and zod messages are looked up by name). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** zh* -> Simplified Chinese, anything else -> English. */
export function languageOf(locale: string | null | undefined): Language {
  return typeof locale === 'string' && /^zh/i.test(locale) ? 'zh-CN' : 'en';
}

/** ?lang= when it names one of ours, else the customer's locale. */
export function pickLanguage(query: unknown, locale: string | null | undefined): Language {
  return (LANGUAGES as readonly unknown[]).includes(query)
    ? (query as Language)
    : languageOf(locale);
}
