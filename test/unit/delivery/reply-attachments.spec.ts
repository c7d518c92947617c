import { sniffUploadType, cleanFilename } from '../../../src/conversations/upload-type';
import { withHtmlSignature, withSignature } from '../../../src/delivery/email-signature';
import { attachmentRefusal, defaultReplyChannel } from '../../../src/inbox/reply-channel';

describe('reply uploads, signatures and channels', () => {
  it('reads an upload type from its bytes, never from its name', () => {
    const png = Buffer.from('89504e470d0a1a0a0000', 'hex');
    expect(sniffUploadType(png, 'a.txt')).toBe('image/png');
    expect(sniffUploadType(Buffer.from('%PDF-1.7\n'), 'x.bin')).toBe('application/pdf');
    expect(sniffUploadType(Buffer.from('PK\u0003\u0004rest'), 'plan.docx')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(sniffUploadType(Buffer.from('姓名,电话\n'), 'list.csv')).toBe('text/csv');
    expect(sniffUploadType(Buffer.from('MZ\u0090\u0000'), 'a.exe')).toBeNull();
    expect(sniffUploadType(Buffer.from('<!DOCTYPE html><p>'), 'a.txt')).toBeNull();
    expect(sniffUploadType(Buffer.from([0xff, 0xfe, 0x00, 0x01]), 'a.txt')).toBeNull();
  });

  it('keeps only the last path segment of a filename, without control characters', () => {
    expect(cleanFilename('C:\\Users\\li\\合同.pdf')).toBe('合同.pdf');
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('a"\u0000b.txt')).toBe('ab.txt');
    expect(cleanFilename('  ')).toBe('file');
  });

  it('appends the signature below "-- " in text and, escaped, in HTML', () => {
    expect(withSignature('Hello\n\n', '客服中心\n400 800')).toBe('Hello\n\n-- \n客服中心\n400 800');
    expect(withSignature('Hello', '  ')).toBe('Hello');
    expect(withHtmlSignature('<body><p>Hi</p></body>', 'A <b>&</b>\nB')).toBe(
      '<body><p>Hi</p><div class="signature">-- <br>A &lt;b&gt;&amp;&lt;/b&gt;<br>B</div></body>',
    );
  });

  it('answers a caller by SMS, and refuses attachments on channels that cannot carry them', () => {
    expect(defaultReplyChannel({ lastInboundChannel: 'voice', lastChannel: 'voice' })).toBe('sms');
    expect(defaultReplyChannel({ lastInboundChannel: null, lastChannel: 'email' })).toBe('email');
    expect(defaultReplyChannel({ lastInboundChannel: 'wechat', lastChannel: 'email' })).toBe(
      'wechat',
    );
    expect(attachmentRefusal('email', 2)).toBeNull();
    expect(attachmentRefusal('sms', 0)).toBeNull();
    expect(attachmentRefusal('sms', 1)).toBe(
      'attachmentIds: the sms channel cannot carry attachments; send them by email',
    );
  });
});
