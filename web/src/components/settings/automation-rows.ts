// The rule form edits each condition and action as a row {type, value} (one text field, or a
// team); these turn rows into the API's shapes and back.
import type { BodyOf } from '../../api/answers';

type RuleBody = BodyOf<'/api/v1/automation-rules', 'post'>;
export type ApiCondition = NonNullable<RuleBody['conditions']>[number];
export type ApiAction = RuleBody['actions'][number];
export type RuleEvent = RuleBody['event'];

export interface Row {
  type: string;
  value: string;
}

export const EVENTS: RuleEvent[] = [
  'message.received',
  'conversation.created',
  'conversation.updated',
  'sla.warning',
  'sla.breached',
  'csat.received',
  'follow_up.due',
];
export const CONDITION_TYPES = [
  'textContains',
  'channel',
  'language',
  'tier',
  'tags',
  'attribute',
  'team',
  'priority',
  'businessHours',
] as const;
export const ACTION_TYPES = [
  'assign',
  'addLabels',
  'removeLabels',
  'setPriority',
  'replyTemplate',
  'note',
  'setStatus',
  'snooze',
  'resolve',
  'webhook',
  'notify',
] as const;

const list = (v: string) =>
  v
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function toCondition(r: Row): ApiCondition {
  const v = r.value;
  switch (r.type) {
    case 'channel':
      return { type: 'channel', channels: list(v) as never };
    case 'language':
      return { type: 'language', locales: list(v) };
    case 'tier':
      return { type: 'tier', tiers: list(v) as never };
    case 'tags':
      return { type: 'tags', tags: list(v), match: 'any' };
    case 'priority':
      return { type: 'priority', priorities: list(v) as never };
    case 'team':
      return { type: 'team', teamId: v || null };
    case 'businessHours':
      return { type: 'businessHours', inside: v === 'inside' };
    case 'attribute': {
      const [key, ...rest] = v.split('=');
      return { type: 'attribute', key: key.trim(), equals: rest.join('=').trim() };
    }
    default:
      return { type: 'textContains', values: list(v) };
  }
}

export function fromCondition(c: ApiCondition): Row {
  switch (c.type) {
    case 'channel':
      return { type: c.type, value: c.channels.join(', ') };
    case 'textContains':
      return { type: c.type, value: c.values.join(', ') };
    case 'language':
      return { type: c.type, value: c.locales.join(', ') };
    case 'tier':
      return { type: c.type, value: c.tiers.join(', ') };
    case 'tags':
      return { type: c.type, value: c.tags.join(', ') };
    case 'priority':
      return { type: c.type, value: c.priorities.join(', ') };
    case 'team':
      return { type: c.type, value: c.teamId ?? '' };
    case 'businessHours':
      return { type: c.type, value: c.inside ? 'inside' : 'outside' };
    case 'attribute':
      return { type: c.type, value: `${c.key}=${String(c.equals)}` };
  }
}

export function toAction(r: Row): ApiAction {
  const v = r.value.trim();
  switch (r.type) {
    case 'assign':
      return { type: 'assign', teamId: v };
    case 'addLabels':
    case 'removeLabels':
      return { type: r.type, labels: list(v) };
    case 'setPriority':
      return { type: 'setPriority', priority: v as never };
    case 'replyTemplate':
      return { type: 'replyTemplate', template: v };
    case 'setStatus':
      return { type: 'setStatus', status: v as never };
    case 'snooze':
      return { type: 'snooze', minutes: Number(v) };
    case 'resolve':
      return { type: 'resolve' };
    case 'webhook':
      return { type: 'webhook', url: v };
    case 'notify':
      return { type: 'notify', userId: v };
    default:
      return { type: 'note', text: v };
  }
}

export function fromAction(a: ApiAction): Row {
  switch (a.type) {
    case 'assign':
      return { type: a.type, value: a.teamId ?? '' };
    case 'addLabels':
    case 'removeLabels':
      return { type: a.type, value: a.labels.join(', ') };
    case 'setPriority':
      return { type: a.type, value: a.priority };
    case 'replyTemplate':
      return { type: a.type, value: a.template };
    case 'note':
      return { type: a.type, value: a.text };
    case 'setStatus':
      return { type: a.type, value: a.status };
    case 'snooze':
      return { type: a.type, value: String(a.minutes) };
    case 'webhook':
      return { type: a.type, value: a.url };
    case 'notify':
      return { type: a.type, value: a.userId };
    default:
      return { type: a.type, value: '' };
  }
}
