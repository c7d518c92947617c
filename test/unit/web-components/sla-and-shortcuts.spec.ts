import { renderIn } from './render';

const sla = () => import('../../../web/src/components/SlaCountdown').then((m) => m.SlaCountdown);
const help = () => import('../../../web/src/components/ShortcutHelp').then((m) => m.ShortcutHelp);
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

describe('SlaCountdown (the SLA badge of a row and a conversation)', () => {
  it('is calm with time left, amber near the deadline, red once missed, in both languages', async () => {
    const calm = await renderIn('en', sla, {
      sla: { dueAt: inMinutes(90), kind: 'first_response' },
      testId: 'sla',
    });
    expect(calm).toMatch(/data-tone="ok"/);
    expect(calm).toContain('title="First response due in 1 h 30 min"');
    const near = await renderIn('zh-CN', sla, {
      sla: { dueAt: inMinutes(10), kind: 'first_response' },
      testId: 'sla',
    });
    expect(near).toMatch(/data-tone="warn"/);
    expect(near).toContain('首次响应剩余 10 分钟');
    const missed = await renderIn('zh-CN', sla, {
      sla: { dueAt: inMinutes(-5), kind: 'resolution', breachedAt: inMinutes(-5) },
      testId: 'sla',
    });
    expect(missed).toMatch(/data-tone="danger"/);
    expect(missed).toContain('SLA 已超时');
  });

  it('shows nothing without an SLA', async () => {
    expect(await renderIn('en', sla, { sla: null, testId: 'sla' })).toBe('');
  });
});

describe('ShortcutHelp (the ? overlay)', () => {
  it('lists every shortcut with its meaning in the reader language', async () => {
    const en = await renderIn('en', help, { onClose: () => undefined });
    expect(en).toContain('Keyboard shortcuts');
    expect(en).toMatch(/<kbd>j<\/kbd><kbd>↓<\/kbd><\/dt><dd>Next conversation<\/dd>/);
    const zh = await renderIn('zh-CN', help, { onClose: () => undefined });
    expect(zh).toContain('键盘快捷键');
    expect(zh).toContain('<dd>下一个会话</dd>');
    expect(zh.match(/<dt>/g)?.length).toBe(en.match(/<dt>/g)?.length);
    expect(zh.match(/<dt>/g)?.length).toBeGreaterThanOrEqual(12);
  });
});
