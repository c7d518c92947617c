import type { RenderedOutbound } from '../../../src/channels/channel-port';
import { buildMailOptions } from '../../../channel-adapters/email/mail-options';

const base: RenderedOutbound = {
  messageId: 'msg_01HT',
  channel: 'email',
  to: 'li.wei@example.cn',
  subject: 'Your order shipped',
  text: 'Your order shipped.',
  html: '<p>Your order shipped.</p>',
};
const opts = { from: 'Hub Support <support@hub.example>', domain: 'hub.example' };

describe(buildMailOptions.name, () => {
  it('sends HTML with its plain-text alternative under our Message-ID', () => {
    const mail = buildMailOptions(base, opts);
    expect(mail).toMatchObject({
      from: 'Hub Support <support@hub.example>',
      to: 'li.wei@example.cn',
      subject: 'Your order shipped',
      text: 'Your order shipped.',
      html: '<p>Your order shipped.</p>',
      messageId: '<msg_01HT@hub.example>',
    });
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.headers).toBeUndefined();
  });

  it('threads a reply with In-Reply-To and References, adding the parent to the chain', () => {
    const mail = buildMailOptions(
      {
        ...base,
        metadata: {
          inReplyTo: 'CAF4471@mail.example.cn',
          references: '<root@hub.example> <mid@hub.example>',
        },
      },
      opts,
    );
    expect(mail.inReplyTo).toBe('<CAF4471@mail.example.cn>');
    expect(mail.references).toBe('<root@hub.example> <mid@hub.example> <CAF4471@mail.example.cn>');
  });

  it('accepts references as a list', () => {
    const mail = buildMailOptions({ ...base, metadata: { references: ['a@x', '<b@x>'] } }, opts);
    expect(mail.references).toBe('<a@x> <b@x>');
  });

  it('adds RFC 8058 one-click unsubscribe headers for marketing mail', () => {
    const mail = buildMailOptions(
      {
        ...base,
        metadata: {
          unsubscribeUrl: 'https://hub.example/u/tok123',
          unsubscribeMailto: 'unsub@hub.example',
        },
      },
      opts,
    );
    expect(mail.headers).toEqual({
      'List-Unsubscribe': '<https://hub.example/u/tok123>, <mailto:unsub@hub.example>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('uses the message sender when given and keeps caller headers', () => {
    const mail = buildMailOptions(
      { ...base, from: 'sales@hub.example', headers: { 'X-Campaign': 'spring' } },
      opts,
    );
    expect(mail.from).toBe('sales@hub.example');
    expect(mail.headers).toEqual({ 'X-Campaign': 'spring' });
  });

  it('attaches content buffers and url paths', () => {
    const mail = buildMailOptions(
      {
        ...base,
        attachments: [
          {
            filename: 'a.pdf',
            contentType: 'application/pdf',
            size: 3,
            content: Buffer.from('pdf'),
          },
          {
            filename: 'b.png',
            contentType: 'image/png',
            size: 10,
            url: 'https://files.example/b.png',
            contentId: 'b1',
          },
        ],
      },
      opts,
    );
    expect(mail.attachments).toEqual([
      { filename: 'a.pdf', contentType: 'application/pdf', content: Buffer.from('pdf') },
      {
        filename: 'b.png',
        contentType: 'image/png',
        path: 'https://files.example/b.png',
        cid: 'b1',
      },
    ]);
  });
});
