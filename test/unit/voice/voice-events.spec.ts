import type { InboundRequest } from '../../../src/channels/channel-port';
import {
  mapCallStatus,
  normalizeVoiceEvent,
  parseCallStatus,
  parseGatherDigits,
  parseGatherStatus,
  voiceEventKindOf,
} from '../../../channel-adapters/voice/voice-events';

const CALL = 'CA' + '1'.repeat(32);
const request = (body: Record<string, unknown>): InboundRequest => ({
  url: 'https://hub.example.com/x',
  method: 'POST',
  headers: {},
  body,
});

describe(normalizeVoiceEvent.name, () => {
  const incoming = {
    CallSid: CALL,
    From: '+8613800138000',
    To: '+15005550006',
    CallStatus: 'ringing',
    Direction: 'inbound',
    CallerName: 'Li Wei',
  };
  const recording = {
    CallSid: CALL,
    RecordingSid: 'RE1',
    RecordingUrl: 'https://api.twilio.com/rec/RE1',
    RecordingDuration: '32',
    RecordingStatus: 'completed',
  };
  const transcription = {
    CallSid: CALL,
    From: '+8613800138000',
    To: '+15005550006',
    TranscriptionText: 'Please call me back',
    TranscriptionStatus: 'completed',
    RecordingSid: 'RE1',
  };

  it('keys every callback of one call by its CallSid', () => {
    const items = [
      normalizeVoiceEvent('call', incoming),
      normalizeVoiceEvent('recording', recording),
      normalizeVoiceEvent('transcription', transcription),
    ];
    expect(items.map((i) => [i.channel, i.kind, i.providerMessageId])).toEqual([
      ['voice', 'call', CALL],
      ['voice', 'call', CALL],
      ['voice', 'call', CALL],
    ]);
  });

  it('describes the ringing call', () => {
    expect(normalizeVoiceEvent('call', incoming)).toMatchObject({
      from: '+8613800138000',
      to: '+15005550006',
      senderName: 'Li Wei',
      text: 'Incoming call',
      metadata: { event: 'call', callStatus: 'ringing', direction: 'inbound' },
    });
  });

  it('describes a voicemail and attaches its recording', () => {
    const item = normalizeVoiceEvent('recording', recording);
    expect(item.text).toBe('Voicemail (32 s)');
    expect(item.from).toBe('');
    expect(item.attachments).toEqual([
      {
        filename: 'RE1.wav',
        contentType: 'audio/wav',
        size: 0,
        url: 'https://api.twilio.com/rec/RE1',
      },
    ]);
    expect(item.metadata).toEqual({
      event: 'recording',
      recordingSid: 'RE1',
      recordingUrl: 'https://api.twilio.com/rec/RE1',
      recordingDuration: 32,
    });
  });

  it('uses the transcript as the text', () => {
    const item = normalizeVoiceEvent('transcription', transcription);
    expect(item.text).toBe('Please call me back');
    expect(item.metadata).toMatchObject({
      transcript: 'Please call me back',
      transcriptionStatus: 'completed',
    });
  });

  it('calls an unanswered call a missed call', () => {
    expect(
      normalizeVoiceEvent('status', { CallSid: CALL, From: '+1555', CallStatus: 'no-answer' }).text,
    ).toBe('Missed call');
    expect(
      normalizeVoiceEvent('status', {
        CallSid: CALL,
        From: '+1555',
        CallStatus: 'completed',
        CallDuration: '45',
      }),
    ).toMatchObject({
      text: 'Call (45 s)',
      metadata: { duration: 45, callStatus: 'completed' },
    });
  });
});

describe(voiceEventKindOf.name, () => {
  it('tells the callbacks apart by their fields', () => {
    expect(voiceEventKindOf({ CallSid: CALL, CallStatus: 'ringing' })).toBe('call');
    expect(voiceEventKindOf({ CallSid: CALL, RecordingSid: 'RE1' })).toBe('recording');
    expect(voiceEventKindOf({ CallSid: CALL, RecordingSid: 'RE1', TranscriptionSid: 'TR1' })).toBe(
      'transcription',
    );
    expect(voiceEventKindOf({ CallSid: CALL, CallStatus: 'completed', CallDuration: '3' })).toBe(
      'status',
    );
  });
});

describe(parseCallStatus.name, () => {
  it.each([
    ['initiated', 'queued'],
    ['ringing', 'queued'],
    ['in-progress', 'sent'],
    ['completed', 'delivered'],
    ['busy', 'undelivered'],
    ['no-answer', 'undelivered'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
    ['bogus', null],
  ])('maps CallStatus %s to %s', (twilioStatus, ours) => {
    expect(mapCallStatus(twilioStatus)).toBe(ours);
  });

  it('reads a call status callback', () => {
    expect(parseCallStatus(request({ CallSid: CALL, CallStatus: 'busy' }))).toEqual({
      providerMessageId: CALL,
      status: 'undelivered',
    });
    expect(parseCallStatus(request({ CallStatus: 'busy' }))).toBeNull();
  });
});

describe(parseGatherDigits.name, () => {
  it('reads the pressed key, and a key press means read', () => {
    expect(parseGatherDigits({ Digits: '1' })).toBe('1');
    expect(parseGatherDigits({ Digits: '' })).toBeNull();
    expect(parseGatherStatus(request({ CallSid: CALL, Digits: '5' }))).toEqual({
      providerMessageId: CALL,
      status: 'read',
    });
    expect(parseGatherStatus(request({ CallSid: CALL }))).toBeNull();
  });
});
