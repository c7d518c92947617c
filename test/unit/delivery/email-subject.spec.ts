import { replySubject, threadTopic } from '../../../src/delivery/email-subject';
import { csatSubject } from '../../../src/inbox/csat-subject';

describe('e-mail subjects', () => {
  it('takes any number of reply markers off, in the usual spellings', () => {
    expect(threadTopic('Re: RE: 回复：答复: Aw: Sv[2]: Invoice  question ')).toBe(
      'Invoice question',
    );
    expect(threadTopic('Fwd: Invoice')).toBe('Fwd: Invoice');
    expect(threadTopic('Regarding my order')).toBe('Regarding my order');
    expect(threadTopic(null)).toBe('');
  });

  it('replies "Re: <topic>", or a default in the customer\'s language, never empty', () => {
    expect(replySubject('RE: Re: Invoice', 'en')).toBe('Re: Invoice');
    expect(replySubject('退款进度', 'zh-CN')).toBe('Re: 退款进度');
    expect(replySubject('', 'zh-CN')).toBe('Re: 您的咨询');
    expect(replySubject('  Re:  ', 'en')).toBe('Re: Your support request');
    expect(replySubject(undefined, 'de')).toBe('Re: Your support request');
  });

  it("asks for a rating in the customer's language, in the thread when it has a subject", () => {
    expect(csatSubject(null, 'zh')).toBe('请为本次服务评分');
    expect(csatSubject('Re: Invoice', 'en')).toBe('Re: Invoice · How did we do?');
    expect(csatSubject('', 'en-GB')).toBe('How did we do?');
  });
});
