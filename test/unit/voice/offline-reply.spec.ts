import { inboundCallTwiml } from '../../../channel-adapters/voice/voice-twiml';

const call = (locale: string, inBusinessHours: boolean) =>
  inboundCallTwiml({
    greeting: 'hello',
    locale,
    inBusinessHours,
    recordingActionUrl: 'https://hub.example/r',
    recordingStatusCallbackUrl: 'https://hub.example/r',
    transcribeCallbackUrl: 'https://hub.example/t',
  });

describe('the out-of-business-hours reply of a call', () => {
  it('is Chinese for a zh-CN caller and English for an en caller', () => {
    expect(call('zh-CN', false)).toContain(
      '<Say language="zh-CN">现在是非工作时间。请在提示音后留言，我们会在下一个工作日给您回电。</Say>',
    );
    expect(call('en', false)).toContain('<Say language="en-US">We are closed right now.');
    expect(call('zh-CN', true)).not.toContain('非工作时间');
  });
});
