import { stripNul } from '../../../src/ingest/strip-nul';

describe(stripNul.name, () => {
  it('replaces NUL in every string and key, nested, and leaves bytes and dates alone', () => {
    const content = Buffer.from([0, 1, 0]);
    const at = new Date(0);
    const form = Object.create(Object.create(null) as object) as Record<string, unknown>;
    form.Body = 'a\u0000b';
    const out = stripNul({
      text: '\u0000',
      attachments: [{ filename: 'x\u0000.txt', content }],
      receivedAt: at,
      metadata: { ['k\u0000']: ['v\u0000'] },
      form,
    });
    expect(out).toEqual({
      text: '\uFFFD',
      attachments: [{ filename: 'x\uFFFD.txt', content }],
      receivedAt: at,
      metadata: { ['k\uFFFD']: ['v\uFFFD'] },
      form: { Body: 'a\uFFFDb' },
    });
    expect(out.attachments[0].content).toBe(content);
  });
});
