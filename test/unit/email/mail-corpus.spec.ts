import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInboundEmail } from '../../../channel-adapters/email/parse-inbound';

/**
 * The public corpus (test/fixtures/mail) read by the parser alone: who each report is about,
 * what each message's subject and files are (the e2e test delivers the same files over SMTP).
 */
const DIR = join(__dirname, '..', '..', 'fixtures', 'mail');
interface Case {
  file: string;
  expect: Record<string, Record<string, any>>;
}
const cases = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as Case[];
const parse = (file: string) => parseInboundEmail(readFileSync(join(DIR, file)));

describe('parseInboundEmail over the public mail corpus', () => {
  it.each(cases.filter((c) => c.expect.bounce).map((c) => [c.file, c.expect.bounce] as const))(
    '%s is a bounce for its failed recipient',
    async (file, want) => {
      const n = await parse(file);
      expect(n.kind).toBe('event');
      expect(n.autoReply).toBe(true);
      const bounce = n.metadata?.bounce as Record<string, any>;
      expect(bounce.recipient).toBe(want.recipient);
      if (want.permanent !== undefined) expect(bounce.permanent).toBe(want.permanent);
      if (want.status) expect(bounce.status).toBe(want.status);
      for (const also of want.also ?? [])
        expect(bounce.recipients.map((r: { recipient: string }) => r.recipient)).toContain(also);
      for (const [address, status] of Object.entries(want.alsoStatus ?? {}))
        expect(
          bounce.recipients.find((r: { recipient: string }) => r.recipient === address).status,
        ).toBe(status);
      if (want.originalMessageId) expect(bounce.originalMessageId).toBe(want.originalMessageId);
      expect(n.attachments).toEqual([]);
    },
  );

  it.each(
    cases.filter((c) => c.expect.complaint).map((c) => [c.file, c.expect.complaint] as const),
  )('%s is a complaint by its complainant', async (file, want) => {
    const n = await parse(file);
    expect(n.kind).toBe('event');
    expect((n.metadata?.feedback as Record<string, unknown>).complainant).toBe(want.complainant);
  });

  it.each(cases.filter((c) => c.expect.receipt).map((c) => [c.file, c.expect.receipt] as const))(
    '%s is a read receipt',
    async (file, want) => {
      const n = await parse(file);
      expect(n.metadata?.receipt).toEqual({
        disposition: 'displayed',
        read: true,
        reader: want.reader,
        originalMessageId: want.originalMessageId,
      });
    },
  );

  it.each(cases.filter((c) => c.expect.message).map((c) => [c.file, c.expect.message] as const))(
    '%s is a message',
    async (file, want) => {
      const n = await parse(file);
      expect(n.kind).toBe('message');
      expect(n.metadata?.bounce ?? n.metadata?.feedback ?? n.metadata?.receipt).toBeUndefined();
      if (want.subject) expect(n.subject).toBe(want.subject);
      if (want.sender) expect(n.from).toBe(want.sender);
      if (want.mailingList) expect(n.metadata?.mailingList).toBeDefined();
      expect(n.autoReply).toBe(want.autoReply ?? false);
      if (want.attachments)
        expect(n.attachments?.map((a) => a.filename)).toEqual(
          want.attachments.map((a: { filename: string }) => a.filename),
        );
      expect(JSON.stringify({ ...n, attachments: [] })).not.toContain('\\u0000');
    },
  );
});
