import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInboundEmail } from '../../../channel-adapters/email/parse-inbound';
import { verifyInboundSecret } from '../../../channel-adapters/email/inbound-secret';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../fixtures/email', `${name}.eml`));

describe(parseInboundEmail.name, () => {
  it('lists attachments over maxAttachmentBytes without content and notes them in metadata', async () => {
    const got = await parseInboundEmail(fixture('two-attachments'), { maxAttachmentBytes: 100 });
    const [pdf, photo] = got.attachments ?? [];
    expect(pdf).toMatchObject({ filename: 'receipt-3344.pdf', size: 125 });
    expect(pdf.content).toBeUndefined();
    expect(pdf.url).toBeUndefined();
    expect(photo.content).toBeInstanceOf(Buffer);
    expect(got.metadata?.attachmentsTooLarge).toEqual([
      { index: 0, filename: 'receipt-3344.pdf', size: 125 },
    ]);
  });

  it('keeps the full original text and html beside the new text', async () => {
    const got = await parseInboundEmail(fixture('outlook-reply-en'));
    expect(got.metadata?.originalText).toContain('Should we send future invoices');
    expect(got.html).toContain('divRplyFwdMsg');
    expect(got.text).not.toContain('Should we send');
  });

  it('gives the same synthesized id for the same bytes', async () => {
    const a = await parseInboundEmail(fixture('no-message-id'));
    const b = await parseInboundEmail(fixture('no-message-id'));
    expect(a.providerMessageId).toMatch(/^[0-9a-f]{64}$/);
    expect(a.providerMessageId).toBe(b.providerMessageId);
  });
});

describe(verifyInboundSecret.name, () => {
  const request = (secret?: string) => ({
    url: '/webhooks/email/inbound',
    method: 'POST',
    headers: { 'x-webhook-secret': secret },
    body: {},
  });
  it('accepts the shared secret and refuses anything else', () => {
    expect(verifyInboundSecret(request('s3cret'), 's3cret')).toBe(true);
    expect(verifyInboundSecret(request('s3creT'), 's3cret')).toBe(false);
    expect(verifyInboundSecret(request(), 's3cret')).toBe(false);
    expect(verifyInboundSecret(request(''), '')).toBe(false);
  });
});
