import type {
  Attachment,
  DeliveryStatus,
  InboundRequest,
  NormalizedInbound,
  StatusUpdate,
} from '../../src/channels/channel-port';
import { field, intField } from '../twilio-common/form-fields';

export type VoiceEventKind = 'call' | 'recording' | 'transcription' | 'status';

const MISSED = new Set(['busy', 'no-answer', 'failed', 'canceled']);

/** Which Twilio voice callback a body is, from the fields it carries. */
export function voiceEventKindOf(body: Record<string, unknown>): VoiceEventKind {
  if (field(body, 'TranscriptionSid') || field(body, 'TranscriptionStatus')) return 'transcription';
  if (field(body, 'RecordingSid') || field(body, 'RecordingUrl')) return 'recording';
  if (
    field(body, 'CallDuration') ||
    MISSED.has(field(body, 'CallStatus') ?? '') ||
    field(body, 'CallStatus') === 'completed'
  ) {
    return 'status';
  }
  return 'call';
}

function describe(
  callStatus: string | undefined,
  duration: number | undefined,
  recordingDuration: number | undefined,
): string {
  if (recordingDuration !== undefined) return `Voicemail (${recordingDuration} s)`;
  if (callStatus && MISSED.has(callStatus)) return 'Missed call';
  if (callStatus === 'completed') return duration !== undefined ? `Call (${duration} s)` : 'Call';
  return 'Incoming call';
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/**
 * Any of the call, recording, transcription and call-status callbacks -> one timeline item keyed
 * by CallSid, so the core merges them into ONE call item (later callbacks add metadata; only
 * defined keys are present, so a shallow merge never erases). Recording callbacks carry no
 * From/To: `from` is then '' and the core keeps the one it already has.
 */
export function normalizeVoiceEvent(
  kind: VoiceEventKind,
  body: Record<string, unknown>,
): NormalizedInbound {
  const callSid = field(body, 'CallSid') ?? '';
  const callStatus = field(body, 'CallStatus');
  const duration = intField(body, 'CallDuration');
  const recordingDuration = intField(body, 'RecordingDuration');
  const recordingUrl = field(body, 'RecordingUrl');
  const recordingSid = field(body, 'RecordingSid');
  const transcript = field(body, 'TranscriptionText');
  const attachments: Attachment[] = recordingUrl
    ? [
        {
          filename: `${recordingSid ?? callSid}.wav`,
          contentType: 'audio/wav',
          size: 0,
          url: recordingUrl,
        },
      ]
    : [];
  return {
    channel: 'voice',
    kind: 'call',
    from: field(body, 'From') ?? field(body, 'Caller') ?? '',
    to: field(body, 'To') ?? field(body, 'Called'),
    providerMessageId: callSid,
    text: transcript ?? describe(callStatus, duration, recordingDuration),
    ...(attachments.length ? { attachments } : {}),
    ...(field(body, 'CallerName') ? { senderName: field(body, 'CallerName') } : {}),
    metadata: withoutUndefined({
      event: kind,
      callStatus,
      duration,
      recordingUrl,
      recordingSid,
      recordingDuration,
      transcript,
      transcriptionStatus: field(body, 'TranscriptionStatus'),
      direction: field(body, 'Direction'),
      accountSid: field(body, 'AccountSid'),
    }),
  };
}

/**
 * Twilio CallStatus of an outbound notice call -> ours: queued/initiated/ringing -> queued,
 * in-progress (answered, message playing) -> sent, completed -> delivered,
 * busy/no-answer -> undelivered (worth a fallback), failed/canceled -> failed.
 */
export function mapCallStatus(status: string | undefined): DeliveryStatus | null {
  switch (status?.toLowerCase()) {
    case 'queued':
    case 'initiated':
    case 'ringing':
      return 'queued';
    case 'in-progress':
      return 'sent';
    case 'completed':
      return 'delivered';
    case 'busy':
    case 'no-answer':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

export function parseCallStatus(request: InboundRequest): StatusUpdate | null {
  const providerMessageId = field(request.body, 'CallSid');
  const status = mapCallStatus(field(request.body, 'CallStatus'));
  if (!providerMessageId || !status) return null;
  const errorCode = field(request.body, 'ErrorCode') ?? field(request.body, 'SipResponseCode');
  return errorCode ? { providerMessageId, status, errorCode } : { providerMessageId, status };
}

/** The key pressed in a <Gather>, or null when none was. */
export function parseGatherDigits(body: Record<string, unknown>): string | null {
  return field(body, 'Digits') ?? null;
}

/** A Gather callback with a key press -> the call's message counts as read. */
export function parseGatherStatus(request: InboundRequest): StatusUpdate | null {
  const providerMessageId = field(request.body, 'CallSid');
  if (!providerMessageId || parseGatherDigits(request.body) === null) return null;
  return { providerMessageId, status: 'read' };
}
