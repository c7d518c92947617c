export { startFakeTwilio, signTwilioRequest } from './fake-twilio';
export type {
  FakeTwilio,
  FakeTwilioOptions,
  FakeTwilioMessage,
  FakeTwilioCall,
  FakeTwilioRequest,
  CallbackResult,
} from './fake-twilio';
export { twilioError, twilioSid } from './twilio-shapes';
