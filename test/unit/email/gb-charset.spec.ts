import * as iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';
import { relabelGbCharsets } from '../../../channel-adapters/email/gb-charset';

/** A GB2312-labelled message whose body and subject are really GB18030 (a 4-byte character). */
function mislabelled(): Buffer {
  const subject = iconv.encode('吉𠮷', 'gb18030').toString('base64');
  const head =
    `Subject: =?gb2312?B?${subject}?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n` +
    `--b1\r\nContent-Type: text/plain;\r\n\tcharset="gb2312"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`;
  const tail = '\r\ncharset=gb2312 stays as written in a body\r\n--b1--\r\n';
  return Buffer.concat([
    Buffer.from(head, 'latin1'),
    iconv.encode('吉𠮷路', 'gb18030'),
    Buffer.from(tail, 'latin1'),
  ]);
}

describe(relabelGbCharsets.name, () => {
  it('is needed: the GB2312 label alone loses GB18030 characters', async () => {
    const parsed = await simpleParser(mislabelled());
    expect(parsed.text).not.toContain('𠮷');
  });

  it('decodes bodies and encoded words labelled GB2312 as GB18030', async () => {
    const parsed = await simpleParser(relabelGbCharsets(mislabelled()));
    expect(parsed.subject).toBe('吉𠮷');
    expect(parsed.text).toContain('吉𠮷路');
  });

  it('rewrites header blocks only, never body bytes', () => {
    const out = relabelGbCharsets(mislabelled()).toString('latin1');
    expect(out).toContain('charset=gb2312 stays as written in a body');
    expect(out).toContain('charset=gb18030');
  });

  it('returns the same buffer when nothing is GB-labelled', () => {
    const raw = Buffer.from(
      'Subject: hi\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n',
    );
    expect(relabelGbCharsets(raw)).toBe(raw);
  });
});
