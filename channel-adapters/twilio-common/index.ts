export { createTwilioClient, rewriteTwilioUri } from './twilio-client';
export type { TwilioClient, TwilioClientOptions } from './twilio-client';
export { verifyTwilioSignature, signTwilioRequest, headerValue } from './twilio-signature';
export { classifyTwilioError } from './twilio-errors';
export { field, intField } from './form-fields';
