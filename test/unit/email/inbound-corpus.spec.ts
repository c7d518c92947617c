import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInboundEmail } from '../../../channel-adapters/email/parse-inbound';

const dir = join(__dirname, '../../fixtures/email');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => f.slice(0, -'.eml'.length))
  .sort();

type Expected = Record<string, unknown> & { attachments?: (string | Record<string, unknown>)[] };

describe('parseInboundEmail over the fixture corpus', () => {
  it('has the corpus the brief asks for', () => {
    expect(names.length).toBeGreaterThanOrEqual(16);
  });

  it.each(names)('%s matches its expected normalization', async (name) => {
    const raw = readFileSync(join(dir, `${name}.eml`));
    const expected = JSON.parse(
      readFileSync(join(dir, `${name}.expected.json`), 'utf8'),
    ) as Expected;
    const got = await parseInboundEmail(raw);
    const actual: Record<string, unknown> = {
      from: got.from,
      senderName: got.senderName,
      to: got.to,
      subject: got.subject,
      providerMessageId: got.providerMessageId,
      kind: got.kind,
      text: got.text,
      autoReply: got.autoReply,
      threadRefs: got.threadRefs,
      bounce: got.metadata?.bounce ?? null,
      hasHtml: got.html !== undefined,
      synthesizedMessageId: got.metadata?.messageIdSynthesized === true,
      attachments: (got.attachments ?? []).map((a, i) => {
        const want = expected.attachments?.[i];
        return typeof want === 'string'
          ? a.filename
          : { filename: a.filename, contentType: a.contentType, size: a.size };
      }),
    };
    const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k]]));
    expect(picked).toEqual(expected);
    if (expected.synthesizedMessageId === true) {
      expect(got.providerMessageId).toBe(createHash('sha256').update(raw).digest('hex'));
    }
    for (const a of got.attachments ?? []) expect(a.content?.length).toBe(a.size);
    expect(typeof got.metadata?.originalText).toBe('string');
  });
});
