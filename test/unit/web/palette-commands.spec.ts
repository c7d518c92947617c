import { filterCommands, fuzzyScore } from '../../../web/src/palette-commands';

const commands = [
  { id: 'go-inbox', group: 'Go to', label: 'Inbox', keywords: 'go inbox' },
  { id: 'go-reports', group: 'Go to', label: 'Reports', keywords: 'go reports' },
  { id: 'resolve', group: 'This conversation', label: 'Resolve', keywords: 'resolve close' },
  {
    id: 'priority-high',
    group: 'This conversation',
    label: 'Priority: High',
    keywords: 'priority high',
  },
  {
    id: 'priority-low',
    group: 'This conversation',
    label: 'Priority: Low',
    keywords: 'priority low',
  },
  { id: 'open-1', group: 'Open conversation', label: '陈静', keywords: 'open 我的订单' },
  { id: 'open-2', group: 'Open conversation', label: '王芳', keywords: 'open 退款' },
  { id: 'resolve-zh', group: '当前会话', label: '解决', keywords: 'resolve' },
];
const ids = (q: string) => filterCommands(commands, q).map((c) => c.id);

describe('command palette filtering', () => {
  it('lists every command, in order, for an empty query', () => {
    expect(ids('')).toEqual(commands.map((c) => c.id));
    expect(ids('   ')).toEqual(commands.map((c) => c.id));
  });

  it('matches letters in order, not necessarily together, whatever the case', () => {
    expect(ids('prhi')).toEqual(['priority-high']);
    expect(ids('RESOLVE')).toEqual(['resolve', 'resolve-zh']);
    expect(ids('xyz')).toEqual([]);
  });

  it('puts a match in the label before one in the keywords, and tighter matches first', () => {
    expect(ids('rep')[0]).toBe('go-reports');
    expect(ids('pri low')[0]).toBe('priority-low');
    expect(ids('inbox')[0]).toBe('go-inbox');
  });

  it('finds a customer by a Chinese name and a command by its English keyword in any language', () => {
    expect(ids('陈')).toEqual(['open-1']);
    expect(ids('王芳')).toEqual(['open-2']);
    expect(ids('退款')).toEqual(['open-2']);
    expect(ids('resolve')).toContain('resolve-zh');
  });

  it('scores consecutive and word-start matches higher', () => {
    expect(fuzzyScore('res', 'Resolve')!).toBeGreaterThan(fuzzyScore('res', 'Priority: esr s')!);
    expect(fuzzyScore('high', 'Priority: High')!).toBeGreaterThan(fuzzyScore('high', 'hxixgxh')!);
    expect(fuzzyScore('zz', 'Resolve')).toBeNull();
  });

  it('keeps at most the limit', () => {
    expect(filterCommands(commands, '', 3)).toHaveLength(3);
  });
});
