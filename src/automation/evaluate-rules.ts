import type { Action, AutomationEvent, Condition } from './automation.schema';

/** What a rule is judged on: the conversation, its customer and the event's message. */
export interface RuleFacts {
  channel: string | null;
  text: string | null;
  locale: string | null;
  tier: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  teamId: string | null;
  priority: string | null;
  insideBusinessHours: boolean;
}

export interface RuleForEvaluation {
  id: string;
  name: string;
  event: AutomationEvent;
  conditions: Condition[];
  actions: Action[];
  active: boolean;
  stopAfter: boolean;
}

export interface Evaluation {
  /** The rules that fired, in order. */
  fired: Array<{ id: string; name: string }>;
  /** Their actions in the order to run them. */
  actions: Array<{ ruleId: string; action: Action }>;
}

/** Case- and width-insensitive text for matching (ＶＩＰ = vip; Chinese unchanged). */
export const foldText = (s: string): string => s.normalize('NFKC').toLocaleLowerCase('en');

function holds(c: Condition, f: RuleFacts): boolean {
  switch (c.type) {
    case 'channel':
      return f.channel !== null && (c.channels as string[]).includes(f.channel);
    case 'textContains': {
      if (!f.text) return false;
      const text = foldText(f.text);
      return c.values.some((v) => text.includes(foldText(v)));
    }
    case 'language': {
      const locale = (f.locale ?? '').toLowerCase();
      return c.locales.some((l) => {
        const want = l.toLowerCase();
        return locale === want || locale.startsWith(`${want}-`);
      });
    }
    case 'tier':
      return f.tier !== null && (c.tiers as string[]).includes(f.tier);
    case 'tags': {
      const have = new Set(f.tags.map(foldText));
      const hits = c.tags.filter((t) => have.has(foldText(t))).length;
      if (c.match === 'all') return hits === c.tags.length;
      if (c.match === 'none') return hits === 0;
      return hits > 0;
    }
    case 'attribute':
      return f.attributes[c.key] === c.equals;
    case 'team':
      return f.teamId === c.teamId;
    case 'priority':
      return f.priority !== null && (c.priorities as string[]).includes(f.priority);
    case 'businessHours':
      return f.insideBusinessHours === c.inside;
  }
}

/**
 * The rules that fire for `event` on these facts, in the order given (the rules' positions):
 * an inactive rule, one listening to another event, or one in `skip` (the rules whose own
 * actions caused the event) never fires; a fired rule with stopAfter ends the walk.
 */
export function evaluateRules(
  rules: readonly RuleForEvaluation[],
  event: AutomationEvent,
  facts: RuleFacts,
  skip: ReadonlySet<string> = new Set(),
): Evaluation {
  const out: Evaluation = { fired: [], actions: [] };
  for (const rule of rules) {
    if (!rule.active || rule.event !== event || skip.has(rule.id)) continue;
    if (!rule.conditions.every((c) => holds(c, facts))) continue;
    out.fired.push({ id: rule.id, name: rule.name });
    for (const action of rule.actions) out.actions.push({ ruleId: rule.id, action });
    if (rule.stopAfter) break;
  }
  return out;
}
