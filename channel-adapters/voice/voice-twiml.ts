import twilio from 'twilio';

type VoiceResponse = twilio.twiml.VoiceResponse;
type SayLanguage = 'zh-CN' | 'en-US';

/** zh* locales speak Mandarin, everything else US English. */
export function sayLanguage(locale: string | undefined): SayLanguage {
  return locale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

const PHRASES = {
  'en-US': {
    pressKey: 'Press any key to confirm you received this message.',
    leaveMessage: 'Please leave a message after the tone. We will call you back.',
    closed:
      'We are closed right now. Please leave a message after the tone and we will call you back on the next business day.',
    thanks: 'Thank you. Goodbye.',
    confirmed: 'Thank you, your confirmation has been received. Goodbye.',
  },
  'zh-CN': {
    pressKey: '收到此消息请按任意键确认。',
    leaveMessage: '请在提示音后留言，我们会尽快给您回电。',
    closed: '现在是非工作时间。请在提示音后留言，我们会在下一个工作日给您回电。',
    thanks: '谢谢，再见。',
    confirmed: '谢谢，已收到您的确认。再见。',
  },
} as const;

/** Drops the XML declaration the SDK prepends: Twilio accepts either form. */
function render(response: VoiceResponse): string {
  return response.toString().replace(/^<\?xml[^>]*\?>\s*/, '');
}

function say(
  target: VoiceResponse | ReturnType<VoiceResponse['gather']>,
  language: SayLanguage,
  text: string,
): void {
  target.say({ language }, text);
}

export interface OutboundCallTwimlInput {
  text: string;
  locale?: string;
  /** Where Twilio posts the key press; without it the message is only spoken (twice). */
  gatherUrl?: string;
}

/** An outbound notice: the text and a "press a key" prompt inside <Gather>, played twice. */
export function outboundCallTwiml({ text, locale, gatherUrl }: OutboundCallTwimlInput): string {
  const language = sayLanguage(locale);
  const response = new twilio.twiml.VoiceResponse();
  for (let round = 0; round < 2; round++) {
    if (gatherUrl) {
      const gather = response.gather({
        numDigits: 1,
        action: gatherUrl,
        method: 'POST',
        timeout: 5,
      });
      say(gather, language, text);
      say(gather, language, PHRASES[language].pressKey);
    } else {
      say(response, language, text);
      if (round === 0) response.pause({ length: 1 });
    }
  }
  return render(response);
}

export interface InboundCallTwimlInput {
  greeting: string;
  locale?: string;
  inBusinessHours: boolean;
  /** Called when the recording ends; always set, or Twilio re-requests the call URL (a loop). */
  recordingActionUrl: string;
  recordingStatusCallbackUrl: string;
  transcribeCallbackUrl: string;
  /** Seconds; Twilio transcribes up to 120, so longer values are capped there. Default 120. */
  maxLengthSeconds?: number;
}

/** A customer calls: the greeting, then voicemail with recording and transcription callbacks. */
export function inboundCallTwiml(input: InboundCallTwimlInput): string {
  const language = sayLanguage(input.locale);
  const response = new twilio.twiml.VoiceResponse();
  say(response, language, input.greeting);
  say(
    response,
    language,
    input.inBusinessHours ? PHRASES[language].leaveMessage : PHRASES[language].closed,
  );
  response.record({
    action: input.recordingActionUrl,
    method: 'POST',
    recordingStatusCallback: input.recordingStatusCallbackUrl,
    recordingStatusCallbackMethod: 'POST',
    transcribe: true,
    transcribeCallback: input.transcribeCallbackUrl,
    maxLength: Math.min(Math.max(1, input.maxLengthSeconds ?? 120), 120),
    playBeep: true,
  });
  // Reached only when the recording was empty (Twilio then skips the action URL).
  say(response, language, PHRASES[language].thanks);
  response.hangup();
  return render(response);
}

/** The answer to the recording action URL: thanks, then hang up. */
export function voicemailDoneTwiml(locale?: string): string {
  const language = sayLanguage(locale);
  const response = new twilio.twiml.VoiceResponse();
  say(response, language, PHRASES[language].thanks);
  response.hangup();
  return render(response);
}

/** The answer to the Gather action URL: the key press was heard. */
export function gatherAckTwiml(locale?: string): string {
  const language = sayLanguage(locale);
  const response = new twilio.twiml.VoiceResponse();
  say(response, language, PHRASES[language].confirmed);
  response.hangup();
  return render(response);
}
