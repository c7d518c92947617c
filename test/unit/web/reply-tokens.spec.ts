import { activeToken, matchCanned, matchStaff, replaceRange } from '../../../web/src/reply-tokens';

const staff = (name: string) => ({ id: name, name });

describe('reply box tokens', () => {
  it('finds the @name or /shortcut the caret ends, at the start of a word only', () => {
    expect(activeToken('请 @王', 4)).toEqual({ kind: '@', start: 2, query: '王' });
    expect(activeToken('@', 1)).toEqual({ kind: '@', start: 0, query: '' });
    expect(activeToken('hi /tha', 7)).toEqual({ kind: '/', start: 3, query: 'tha' });
    expect(activeToken('mail me@example.com', 19)).toBeNull();
    expect(activeToken('and/or', 6)).toBeNull();
    expect(activeToken('@王芳 看一下', 7)).toBeNull();
    expect(activeToken('no token here', 13)).toBeNull();
  });

  it('matches colleagues by any part of the name, those starting with it first', () => {
    const all = [staff('Lily Chen'), staff('王芳'), staff('Chen Jing'), staff('李王')];
    expect(matchStaff(all, '王').map((s) => s.name)).toEqual(['王芳', '李王']);
    expect(matchStaff(all, 'chen').map((s) => s.name)).toEqual(['Chen Jing', 'Lily Chen']);
    expect(matchStaff(all, '')).toHaveLength(4);
  });

  it('matches canned responses by shortcut first, then by text', () => {
    const row = { title: null, createdAt: '2026-12-03T05:00:00.000Z' };
    const canned = [
      { id: '1', shortCode: 'refund', text: 'Your refund is on its way', ...row },
      { id: '2', shortCode: 'thanks', text: '感谢您的耐心', ...row },
      { id: '3', shortCode: 'wait', text: 'Thanks for waiting', ...row },
    ];
    expect(matchCanned(canned, 'tha').map((c) => c.id)).toEqual(['2', '3']);
    expect(matchCanned(canned, '耐心').map((c) => c.id)).toEqual(['2']);
  });

  it('replaces the token and puts the caret after the insert', () => {
    expect(replaceRange('请 @王 谢谢', 2, 4, '@王芳 ')).toEqual({
      text: '请 @王芳  谢谢',
      caret: 6,
    });
  });
});
