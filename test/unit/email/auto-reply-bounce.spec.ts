import { isAutoReply } from '../../../channel-adapters/email/auto-reply';
import { parseDeliveryStatus } from '../../../channel-adapters/email/bounce';

const headers = (entries: Record<string, unknown>) => new Map(Object.entries(entries));

describe(isAutoReply.name, () => {
  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'Hello', true],
    [{ 'auto-submitted': 'auto-generated; owner-email="x@y"' }, 'Hello', true],
    [{ 'auto-submitted': 'no' }, 'Hello', false],
    [{ 'x-autoreply': 'yes' }, 'Hello', true],
    [{ 'x-autorespond': 'Vacation' }, 'Hello', true],
    [{ precedence: 'auto_reply' }, 'Hello', true],
    // Mailing-list mail (Precedence: bulk) is written by people: not an auto-reply.
    [{ precedence: 'bulk' }, 'Hello', false],
    [{ precedence: 'junk' }, 'Hello', true],
    [{ precedence: 'list' }, 'Hello', false],
    [{}, 'Out of Office: back Monday', true],
    [{}, 'Automatic reply: Your order', true],
    [{}, '自动回复: 您的订单', true],
    [{}, 'Out of Office AutoReply: Meeting', true],
    [{}, 'Out of office', true],
    [{}, 'Re: out of office supplies order', false],
    [{}, 'Question about my office chair', false],
    [{}, undefined, false],
  ])('%j with subject %p -> %p', (h, subject, expected) => {
    expect(isAutoReply(headers(h), subject)).toBe(expected);
  });
});

describe(parseDeliveryStatus.name, () => {
  const report = (status: string, action: string) =>
    `Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; A@Example.org\nAction: ${action}\nStatus: ${status}\n`;

  it('reads a permanent failure', () => {
    expect(parseDeliveryStatus(report('5.1.1', 'failed'))).toEqual({
      recipient: 'a@example.org',
      status: '5.1.1',
      action: 'failed',
      permanent: true,
    });
  });

  it('reads a transient delay', () => {
    expect(parseDeliveryStatus(report('4.4.1 (connection timed out)', 'delayed'))).toMatchObject({
      status: '4.4.1',
      action: 'delayed',
      permanent: false,
    });
  });

  it('lists every recipient when there are several', () => {
    const text = `${report('5.1.1', 'failed')}\nFinal-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.2.2\n`;
    expect(parseDeliveryStatus(text)?.recipients?.map((r) => r.recipient)).toEqual([
      'a@example.org',
      'b@example.org',
    ]);
  });

  it('returns null for a report without recipients', () => {
    expect(parseDeliveryStatus('Reporting-MTA: dns; mx.example\n')).toBeNull();
  });
});
