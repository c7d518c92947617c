import type { Condition } from '../../../src/automation/automation.schema';
import {
  evaluateRules,
  type RuleFacts,
  type RuleForEvaluation,
} from '../../../src/automation/evaluate-rules';

const facts: RuleFacts = {
  channel: 'sms',
  text: '你好，我的ＯＲＤＥＲ还没到 please help',
  locale: 'zh-CN',
  tier: 'core',
  tags: ['VIP', 'billing'],
  attributes: { plan: 'gold', seats: 5, trial: false },
  teamId: 'team-1',
  priority: 'high',
  insideBusinessHours: false,
};

const rule = (id: string, conditions: Condition[], more: Partial<RuleForEvaluation> = {}) =>
  ({
    id,
    name: id,
    event: 'message.received',
    conditions,
    actions: [{ type: 'addLabels', labels: [id] }],
    active: true,
    stopAfter: false,
    ...more,
  }) as RuleForEvaluation;

describe('evaluateRules: conditions', () => {
  const table: Array<[string, Condition, boolean]> = [
    ['channel matches', { type: 'channel', channels: ['sms', 'email'] }, true],
    ['channel differs', { type: 'channel', channels: ['email'] }, false],
    ['Chinese text', { type: 'textContains', values: ['还没到'] }, true],
    ['full-width folds to ASCII', { type: 'textContains', values: ['order'] }, true],
    ['case-insensitive', { type: 'textContains', values: ['PLEASE'] }, true],
    ['absent text', { type: 'textContains', values: ['退款'] }, false],
    ['language prefix', { type: 'language', locales: ['zh'] }, true],
    ['language exact', { type: 'language', locales: ['zh-CN'] }, true],
    ['language other', { type: 'language', locales: ['en'] }, false],
    ['tier', { type: 'tier', tiers: ['core'] }, true],
    ['tier other', { type: 'tier', tiers: ['edge'] }, false],
    ['tags any (case-insensitive)', { type: 'tags', tags: ['vip', 'x'], match: 'any' }, true],
    ['tags all missing one', { type: 'tags', tags: ['vip', 'x'], match: 'all' }, false],
    ['tags all', { type: 'tags', tags: ['vip', 'billing'], match: 'all' }, true],
    ['tags none', { type: 'tags', tags: ['spam'], match: 'none' }, true],
    ['tags none hit', { type: 'tags', tags: ['vip'], match: 'none' }, false],
    ['attribute string', { type: 'attribute', key: 'plan', equals: 'gold' }, true],
    ['attribute number', { type: 'attribute', key: 'seats', equals: 5 }, true],
    ['attribute boolean', { type: 'attribute', key: 'trial', equals: false }, true],
    ['attribute differs', { type: 'attribute', key: 'plan', equals: 'silver' }, false],
    ['team', { type: 'team', teamId: 'team-1' }, true],
    ['no team', { type: 'team', teamId: null }, false],
    ['priority', { type: 'priority', priorities: ['high', 'critical'] }, true],
    ['priority other', { type: 'priority', priorities: ['low'] }, false],
    ['outside hours', { type: 'businessHours', inside: false }, true],
    ['inside hours', { type: 'businessHours', inside: true }, false],
  ];
  it.each(table)('%s', (_, condition, fires) => {
    const r = evaluateRules([rule('r', [condition])], 'message.received', facts);
    expect(r.fired.map((f) => f.id)).toEqual(fires ? ['r'] : []);
  });

  it('needs every condition of a rule', () => {
    const both: Condition[] = [
      { type: 'channel', channels: ['sms'] },
      { type: 'textContains', values: ['退款'] },
    ];
    expect(evaluateRules([rule('r', both)], 'message.received', facts).fired).toEqual([]);
  });
});

describe('evaluateRules: order, events, stopAfter, loop guard', () => {
  const rules = [
    rule('a', []),
    rule('b', [], { stopAfter: true }),
    rule('c', []),
    rule('other-event', [], { event: 'conversation.updated' }),
    rule('inactive', [], { active: false }),
  ];
  const table: Array<[string, RuleForEvaluation[], string, string[], string[]]> = [
    ['in order until stopAfter', rules, 'message.received', [], ['a', 'b']],
    ['stopAfter of a skipped rule does not stop', rules, 'message.received', ['b'], ['a', 'c']],
    ['only the event listened to', rules, 'conversation.updated', [], ['other-event']],
    [
      'the rule that caused the event is skipped',
      rules,
      'conversation.updated',
      ['other-event'],
      [],
    ],
    ['inactive never fires', [rules[4]], 'message.received', [], []],
  ];
  it.each(table)('%s', (_, list, event, skip, fired) => {
    const r = evaluateRules(list, event as 'message.received', facts, new Set(skip));
    expect(r.fired.map((f) => f.id)).toEqual(fired);
    expect(r.actions.map((a) => a.ruleId)).toEqual(fired);
  });

  it('actions keep the rules order and each rule its own order', () => {
    const two = rule('x', [], {
      actions: [{ type: 'addLabels', labels: ['1'] }, { type: 'resolve' }],
    });
    const r = evaluateRules([two, rule('y', [])], 'message.received', facts);
    expect(r.actions.map((a) => a.action.type)).toEqual(['addLabels', 'resolve', 'addLabels']);
  });
});
