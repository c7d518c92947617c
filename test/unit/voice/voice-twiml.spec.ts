import {
  gatherAckTwiml,
  inboundCallTwiml,
  outboundCallTwiml,
  voicemailDoneTwiml,
} from '../../../channel-adapters/voice/voice-twiml';

describe(outboundCallTwiml.name, () => {
  it('speaks the text in Mandarin inside a one-digit Gather, twice', () => {
    const xml = outboundCallTwiml({
      text: '您的航班已取消',
      locale: 'zh-CN',
      gatherUrl: 'https://hub.example.com/webhooks/twilio/voice/gather?m=1&x=2',
    });
    const gather =
      '<Gather numDigits="1" action="https://hub.example.com/webhooks/twilio/voice/gather?m=1&amp;x=2" method="POST" timeout="5">' +
      '<Say language="zh-CN">您的航班已取消</Say><Say language="zh-CN">收到此消息请按任意键确认。</Say></Gather>';
    expect(xml).toBe(`<Response>${gather}${gather}</Response>`);
  });

  it('speaks English for other locales and without a gather URL only speaks', () => {
    const xml = outboundCallTwiml({ text: 'Your flight is cancelled', locale: 'en-GB' });
    expect(xml).toBe(
      '<Response><Say language="en-US">Your flight is cancelled</Say><Pause length="1"/><Say language="en-US">Your flight is cancelled</Say></Response>',
    );
  });
});

describe(inboundCallTwiml.name, () => {
  const input = {
    greeting: 'Welcome to Acme.',
    locale: 'en-US',
    inBusinessHours: true,
    recordingActionUrl: 'https://hub.example.com/webhooks/twilio/voice/recorded',
    recordingStatusCallbackUrl: 'https://hub.example.com/webhooks/twilio/voice/recording',
    transcribeCallbackUrl: 'https://hub.example.com/webhooks/twilio/voice/transcription',
  };

  it('greets, then records voicemail with action, recording and transcription callbacks', () => {
    const xml = inboundCallTwiml(input);
    expect(xml).toBe(
      '<Response><Say language="en-US">Welcome to Acme.</Say>' +
        '<Say language="en-US">Please leave a message after the tone. We will call you back.</Say>' +
        '<Record action="https://hub.example.com/webhooks/twilio/voice/recorded" method="POST"' +
        ' recordingStatusCallback="https://hub.example.com/webhooks/twilio/voice/recording" recordingStatusCallbackMethod="POST"' +
        ' transcribe="true" transcribeCallback="https://hub.example.com/webhooks/twilio/voice/transcription"' +
        ' maxLength="120" playBeep="true"/>' +
        '<Say language="en-US">Thank you. Goodbye.</Say><Hangup/></Response>',
    );
  });

  it('says the office is closed out of hours, in Chinese, and caps maxLength at 120 s', () => {
    const xml = inboundCallTwiml({
      ...input,
      locale: 'zh-CN',
      inBusinessHours: false,
      maxLengthSeconds: 600,
      greeting: '欢迎致电',
    });
    expect(xml).toContain('<Say language="zh-CN">欢迎致电</Say>');
    expect(xml).toContain('非工作时间');
    expect(xml).toContain('maxLength="120"');
    expect(inboundCallTwiml({ ...input, maxLengthSeconds: 30 })).toContain('maxLength="30"');
  });
});

describe('voicemailDoneTwiml and gatherAckTwiml', () => {
  it('thank the caller and hang up', () => {
    expect(voicemailDoneTwiml()).toBe(
      '<Response><Say language="en-US">Thank you. Goodbye.</Say><Hangup/></Response>',
    );
    expect(gatherAckTwiml('zh-CN')).toBe(
      '<Response><Say language="zh-CN">谢谢，已收到您的确认。再见。</Say><Hangup/></Response>',
    );
  });
});
