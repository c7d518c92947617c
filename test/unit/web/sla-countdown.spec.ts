import { translate } from '../../../web/src/i18n/catalogs';
import { slaBadge, type Translate } from '../../../web/src/sla-countdown';

const en: Translate = (k, p) => translate('en', k, p);
const zh: Translate = (k, p) => translate('zh-CN', k, p);
const now = Date.parse('2026-12-03T05:00:00.000Z');
const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();

describe('slaBadge', () => {
  it('counts down calmly, turns amber under 15 minutes and red once past', () => {
    expect(slaBadge({ kind: 'first_response', dueAt: at(90) }, now, en)).toEqual({
      tone: 'ok',
      text: '1 h 30 min',
      title: 'First response due in 1 h 30 min',
    });
    expect(slaBadge({ kind: 'resolution', dueAt: at(12) }, now, zh)).toMatchObject({
      tone: 'warn',
      text: '12 分钟',
      title: '解决剩余 12 分钟',
    });
    expect(slaBadge({ kind: 'resolution', dueAt: at(-3) }, now, en)).toMatchObject({
      tone: 'danger',
      text: '-3 min',
    });
  });

  it('stays red for a recorded breach even once the deadline is gone', () => {
    const b = slaBadge({ kind: 'first_response', dueAt: at(-1), breachedAt: at(-1) }, now, zh);
    expect(b).toMatchObject({ tone: 'danger', title: '首次响应 SLA 已超时' });
    expect(slaBadge({ kind: 'resolution', dueAt: at(60 * 50) }, now, en).text).toBe('2 d 2 h');
  });
});
