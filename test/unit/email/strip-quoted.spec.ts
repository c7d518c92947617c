import { stripQuotedText } from '../../../channel-adapters/email/strip-quoted';

describe(stripQuotedText.name, () => {
  it.each([
    ['plain text untouched', 'Hello\n\nThanks', 'Hello\n\nThanks'],
    [
      'Gmail "On ... wrote:" with > lines',
      'Yes please.\n\nOn Mon, Mar 4, 2024 at 9:00 AM Bob <b@x.com> wrote:\n> old\n> older',
      'Yes please.',
    ],
    [
      '"wrote:" wrapped over two lines',
      'Fine.\n\nOn Mon, Mar 4, 2024 at 9:00 AM Support <s@hub.example>\nwrote:\n\n> old',
      'Fine.',
    ],
    [
      'interleaved > lines dropped',
      'Answer one.\n> question two\nAnswer two.',
      'Answer one.\nAnswer two.',
    ],
    [
      'Outlook Original Message',
      'Ok.\n\n-----Original Message-----\nFrom: A\nSent: today\n\nold',
      'Ok.',
    ],
    [
      'Outlook From/Sent block',
      'Ok.\n\nFrom: Hub <s@hub.example>\nSent: Friday, March 8, 2024 1:05 PM\nTo: me\nSubject: x\n\nold',
      'Ok.',
    ],
    [
      'bold Outlook header block under a rule',
      'Ok.\n________________________________\n*From:* Hub\n*Date:* today\n\nold',
      'Ok.',
    ],
    [
      'Chinese Outlook 发件人 block',
      '好的。\n\n发件人: Hub\n发送时间: 2024年3月15日 10:20\n收件人: 我\n主题: 订单\n\n旧内容',
      '好的。',
    ],
    [
      'Chinese 原始邮件 separator',
      '收到。\n\n------------------ 原始邮件 ------------------\n发件人: "Hub"\n发送时间: 2024年3月15日\n旧',
      '收到。',
    ],
    [
      'Chinese Gmail 写道',
      '可以。\n\n2024年3月15日 上午10:20，Hub <s@hub.example> 写道：\n> 旧',
      '可以。',
    ],
    ['"-- " signature', 'See you.\n\n-- \nTom\nOps lead', 'See you.'],
    ['Sent from my iPhone', 'On my way.\n\nSent from my iPhone', 'On my way.'],
    ['发自我的iPhone', '马上到。\n\n发自我的iPhone', '马上到。'],
    [
      'a "From:" line inside new text is not a header block',
      'From: the warehouse team\nThe parcel left today.',
      'From: the warehouse team\nThe parcel left today.',
    ],
    [
      'a message that is only a forwarded block is kept',
      'From: A <a@x>\nSent: today\nTo: b\n\nforwarded body',
      'From: A <a@x>\nSent: today\nTo: b\n\nforwarded body',
    ],
    ['CRLF line endings', 'Hi\r\n\r\nOn Mon, Bob wrote:\r\n> x', 'Hi'],
  ])('%s', (_name, input, expected) => {
    expect(stripQuotedText(input)).toBe(expected);
  });
});
