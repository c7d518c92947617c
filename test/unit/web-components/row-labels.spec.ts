import { renderIn } from './render';

const load = () => import('../../../web/src/components/RowLabels').then((m) => m.RowLabels);

describe('RowLabels (the labels of a list row)', () => {
  it('shows the first three as chips and the rest as +n, titled with the hidden ones', async () => {
    const html = await renderIn('en', load, { tags: ['vip', 'refund', 'invoice', 'late', 'cn'] });
    expect(html.match(/data-testid="row-label"/g)).toHaveLength(3);
    expect(html).toContain('>vip</button>');
    expect(html).not.toContain('>late</button>');
    expect(html).toMatch(/class="row-label more" title="late, cn">\+2</);
  });

  it('titles each chip in the reader language', async () => {
    expect(await renderIn('en', load, { tags: ['vip'] })).toContain(
      'title="Show conversations labelled vip"',
    );
    expect(await renderIn('zh-CN', load, { tags: ['vip'] })).toContain(
      'title="只看标签为 vip 的会话"',
    );
    // The hidden labels are listed with the language's own separator.
    expect(await renderIn('zh-CN', load, { tags: ['a', 'b', 'c', '退款', '发票'] })).toContain(
      'title="退款、发票">+2<',
    );
  });

  it('renders nothing for a row without labels', async () => {
    expect(await renderIn('en', load, { tags: [] })).toBe('');
  });
});
