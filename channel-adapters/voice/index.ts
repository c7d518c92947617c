export { TwilioVoiceAdapter } from './twilio-voice.adapter';
export type { TwilioVoiceAdapterOptions } from './twilio-voice.adapter';
export {
  outboundCallTwiml,
  inboundCallTwiml,
  voicemailDoneTwiml,
  gatherAckTwiml,
  sayLanguage,
} from './voice-twiml';
export type { OutboundCallTwimlInput, InboundCallTwimlInput } from './voice-twiml';
export {
  normalizeVoiceEvent,
  voiceEventKindOf,
  mapCallStatus,
  parseCallStatus,
  parseGatherDigits,
  parseGatherStatus,
} from './voice-events';
export type { VoiceEventKind } from './voice-events';
