import { mailingListOf } from '../../../channel-adapters/email/auto-reply';
import { parseInboundEmail } from '../../../channel-adapters/email/parse-inbound';
import {
  parseDispositionNotification,
  parseFeedbackReport,
} from '../../../channel-adapters/email/feedback-reports';
import { inboundAttachments } from '../../../channel-adapters/email/inbound-attachments';
import { isPlainBounce, parsePlainBounce } from '../../../channel-adapters/email/plain-bounce';
import { decodeEightBitHeader } from '../../../channel-adapters/email/raw-header-text';
import { tidyRaw, withoutNul } from '../../../channel-adapters/email/raw-message';
import { stripQuotedText } from '../../../channel-adapters/email/strip-quoted';
import { extractUuencoded } from '../../../channel-adapters/email/uuencode';
import { smtpCodeFor } from '../../../src/email/smtp-reply';
import { DomainError } from '../../../src/common/errors/domain-error';
import { normalizeAddress } from '../../../src/customers/address';

const latin1 = (s: string) => Buffer.from(s, 'latin1').toString('latin1');

describe(extractUuencoded.name, () => {
  it('cuts a uuencoded file out of the text and decodes it', () => {
    // "Cat" uuencoded: length char '#' (3 bytes), then 4 chars.
    const { text, files } = extractUuencoded('Hello\n\nbegin 644 cat.txt\n#0V%T\n`\nend\n\nBye');
    expect(text).toBe('Hello\n\nBye');
    expect(files).toEqual([{ filename: 'cat.txt', content: Buffer.from('Cat') }]);
  });

  it('leaves a "begin" line without a body alone', () => {
    expect(extractUuencoded('begin 644 is not a file here').files).toEqual([]);
  });
});

describe(decodeEightBitHeader.name, () => {
  it.each([
    ['raw Latin-1 text', latin1('Forma\xe7\xe3o'), undefined, 'Formação'],
    ['raw UTF-8 text', Buffer.from('Formação').toString('latin1'), undefined, 'Formação'],
    [
      '8-bit bytes inside a Q word',
      latin1('=?ISO-8859-1?Q?Forma\xe7\xe3o_X?='),
      undefined,
      'Formação X',
    ],
    [
      'an invalid declared charset falls back to the body charset',
      latin1('=?utf-8?Q?Ver\xe3o?='),
      'iso-8859-1',
      'Verão',
    ],
    ['ASCII only: the parser is right', '=?utf-8?B?w6k=?=', undefined, undefined],
  ])('%s', (_name, value, bodyCharset, expected) => {
    expect(decodeEightBitHeader(value, bodyCharset)).toBe(expected);
  });
});

describe(tidyRaw.name, () => {
  it('drops a BOM and blank lines before the first header', () => {
    const { raw, fixes } = tidyRaw(Buffer.from('\ufeff\n \nFrom: a@b.c\n\nhi'));
    expect(raw.toString()).toBe('From: a@b.c\n\nhi');
    expect(fixes).toEqual(['bom', 'text-before-headers']);
  });

  it('turns CR-only line ends into CRLF', () => {
    expect(tidyRaw(Buffer.from('From: a@b.c\r\rhi\r')).raw.toString()).toBe(
      'From: a@b.c\r\n\r\nhi\r\n',
    );
  });
});

describe(withoutNul.name, () => {
  it('strips NULs from nested strings and counts them', () => {
    const removed = { count: 0 };
    expect(withoutNul({ a: 'x\u0000y', b: ['\u0000'], c: 1 }, removed)).toEqual({
      a: 'xy',
      b: [''],
      c: 1,
    });
    expect(removed.count).toBe(2);
  });
});

describe(stripQuotedText.name, () => {
  it('keeps the forwarded text of a forward with no comment', () => {
    const text =
      '---------- Forwarded message ----------\nFrom: A <a@x.com>\nDate: today\nSubject: s\nTo: b@x.com\n\nThe forwarded words';
    expect(stripQuotedText(text)).toContain('The forwarded words');
  });

  it('never turns a body that is only a signature into nothing', () => {
    expect(stripQuotedText('-- \nMikel\nhttp://lindsaar.net/')).toContain('Mikel');
  });
});

describe(isPlainBounce.name, () => {
  const text = 'Your message could not be delivered to bob@example.org: user unknown';
  it.each([
    ['MAILER-DAEMON', 'mailer-daemon@mx.example.net', 'failure notice', true],
    ['a null sender', '', 'Mail delivery failed', true],
    [
      'a customer forwarding a bounce to support',
      'amy@example.com',
      'Fwd: Undeliverable: order',
      false,
    ],
    ['a customer using the words', 'amy@example.com', 'Question', false],
  ])('%s -> %p', (_name, from, subject, expected) => {
    expect(isPlainBounce({ from, to: ['support@hub.example'], subject, text })).toBe(expected);
  });

  it('reads a transient warning as not permanent', () => {
    const bounce = parsePlainBounce({
      from: 'postmaster@mx.example.net',
      to: [],
      subject: 'Delayed Mail (still being retried)',
      text: 'Your message to <bob@example.org> has not yet been delivered. It is still being retried.',
    });
    expect(bounce).toMatchObject({ recipient: 'bob@example.org', permanent: false });
  });
});

describe('a bounce that names no recipient', () => {
  it('is still a bounce (an event, never a conversation), with no recipient', async () => {
    const n = await parseInboundEmail(
      Buffer.from(
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nTo: support@hub.example\r\n' +
          'Subject: Mail delivery failed: returning message to sender\r\nMessage-ID: <b1@mx.example.net>\r\n\r\n' +
          'This message was created automatically by mail delivery software.\r\nA message that you sent could not be delivered.\r\n',
      ),
    );
    expect(n.kind).toBe('event');
    expect(n.metadata?.bounce).toMatchObject({ recipient: '' });
  });
});

describe(mailingListOf.name, () => {
  it.each([
    [{ list: { id: { id: 'dev.lists.example.org' } } }, { id: 'dev.lists.example.org' }],
    [{ precedence: 'bulk' }, { precedence: 'bulk' }],
    [
      { precedence: 'list', 'x-mailing-list': 'dev@lists.example.org' },
      { id: 'dev@lists.example.org', precedence: 'list' },
    ],
    [{ precedence: 'junk' }, null],
    [{}, null],
  ])('%j -> %j', (headers, expected) => {
    expect(mailingListOf(new Map(Object.entries(headers)))).toEqual(expected);
  });
});

describe('feedback reports', () => {
  it('reads the complainant from Original-Rcpt-To before the original To', () => {
    expect(
      parseFeedbackReport(
        'Feedback-Type: abuse\nOriginal-Rcpt-To: <Amy@Example.com>\n',
        'To: other@example.com\nMessage-ID: <m1@hub.example>\n\nbody',
      ),
    ).toEqual({
      feedbackType: 'abuse',
      complainant: 'amy@example.com',
      originalMessageId: 'm1@hub.example',
    });
  });

  it('reads a deleted-unread receipt as not read', () => {
    expect(
      parseDispositionNotification(
        'Final-Recipient: rfc822; amy@example.com\nOriginal-Message-ID: <m1@hub.example>\nDisposition: automatic-action/MDN-sent-automatically; deleted\n',
      ),
    ).toEqual({
      disposition: 'deleted',
      read: false,
      reader: 'amy@example.com',
      originalMessageId: 'm1@hub.example',
    });
  });
});

describe(inboundAttachments.name, () => {
  it('types a part with an empty or missing type as application/octet-stream', () => {
    const { attachments } = inboundAttachments(
      [
        { filename: 'a.bin', contentType: '', content: Buffer.from('a') },
        { filename: 'b.bin', contentType: false, content: Buffer.from('b') },
      ],
      1000,
      false,
    );
    expect(attachments.map((a) => a.contentType)).toEqual([
      'application/octet-stream',
      'application/octet-stream',
    ]);
  });

  it('lists the same content once, under its own name', () => {
    const ics = Buffer.from('BEGIN:VCALENDAR\nEND:VCALENDAR');
    const { attachments } = inboundAttachments(
      [
        { contentType: 'text/calendar', content: ics },
        { filename: 'invite.ics', contentType: 'application/ics', content: ics },
      ],
      1000,
      false,
    );
    expect(attachments.map((a) => a.filename)).toEqual(['invite.ics']);
  });
});

describe(smtpCodeFor.name, () => {
  it.each([
    ['malformed mail', new DomainError('bad_request', 'x'), 550],
    ['too large', new DomainError('payload_too_large', 'x'), 552],
    ['database unreachable', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 451],
    [
      'database shutting down (57P01)',
      Object.assign(new Error('terminating'), { code: '57P01' }),
      451,
    ],
    ['serialization failure (40001)', Object.assign(new Error('x'), { code: '40001' }), 451],
    [
      'content PostgreSQL refuses (22P05)',
      Object.assign(new Error('unsupported Unicode escape'), { code: '22P05' }),
      554,
    ],
    ['a bug', new TypeError('x.toLowerCase is not a function'), 554],
  ])('%s -> %p', (_name, error, code) => {
    expect(smtpCodeFor(error)).toBe(code);
  });
});

describe('internationalised addresses (RFC 6531)', () => {
  it('are accepted as e-mail identities, lower-cased', () => {
    expect(normalizeAddress('email', 'José.Peña@Correo.Example.es').address).toBe(
      'josé.peña@correo.example.es',
    );
    expect(normalizeAddress('email', '用户@例子.中国').address).toBe('用户@例子.中国');
  });

  it('still refuse spaces', () => {
    expect(() => normalizeAddress('email', 'jo sé@example.es')).toThrow(/not a valid e-mail/);
  });
});
