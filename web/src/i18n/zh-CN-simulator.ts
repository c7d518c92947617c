import type { enSimulator } from './en-simulator';

/** 路由策略模拟器的中文文案（并入 zh-CN.ts）。 */
export const zhCNSimulator: Record<keyof typeof enSimulator, string> = {
  'simulator.run': '模拟',
  'simulator.running': '正在模拟…',
  'simulator.days': '用以下时间内的发送来模拟：最近',
  'simulator.daysOption': '{n} 天',
  'simulator.dayOption': '1 天',
  'simulator.hint':
    '“模拟”会把上面的设置用于过去的发送，按今天的路由规则重新决定。点击“保存”之前不会保存任何更改。',
  'simulator.title': '模拟结果（未保存）',
  'simulator.summary':
    '重新决定了最近 {days} 天的 {total} 次发送：{moved} 次会换渠道或被拦截，共 {changed} 次会有变化。',
  'simulator.summaryOneDay':
    '重新决定了最近 1 天的 {total} 次发送：{moved} 次会换渠道或被拦截，共 {changed} 次会有变化。',
  'simulator.sampled': '只模拟了 {inWindow} 次发送中最新的 {total} 次。',
  'simulator.skipped': '有 {n} 次发送未计入：其客户已被删除或合并。',
  'simulator.none': '这段时间内没有经过路由的发送。',
  'simulator.nothingMoves': '按这些设置，没有任何发送会变化。',
  'simulator.moves': '发送会走哪个渠道',
  'simulator.from': '现在',
  'simulator.to': '按这些设置',
  'simulator.count': '发送数',
  'simulator.unchanged': '不变：{n}',
  'simulator.outcomes': '拦截与延迟',
  'simulator.reason': '原因',
  'simulator.suppressed': '拦截',
  'simulator.delayed': '因免打扰时段延迟',
  'simulator.suppression.noConsent': '未获同意',
  'simulator.suppression.quietHours': '免打扰时段',
  'simulator.suppression.frequencyCap': '频次上限',
  'simulator.suppression.noChannel': '没有可达渠道',
  'simulator.suppression.contactBudget': '客服正在处理',
  'simulator.examples': '会变化的发送示例',
  'simulator.actual': '实际通过{channel}发送',
  'simulator.actualSuppressed': '实际被拦截',
  'simulator.delayedTo': '延迟到 {time}',
  'simulator.purpose.transactional': '交易通知',
  'simulator.purpose.service': '服务通知',
  'simulator.purpose.marketing': '营销',
  'simulator.differ':
    '供参考：按现在的设置，其中 {n} 次发送也会与实际发送的渠道不同（当时渠道故障，或此后同意、偏好有变）。',
};
