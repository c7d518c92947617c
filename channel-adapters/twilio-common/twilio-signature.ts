import twilio from 'twilio';

type Headers = Record<string, string | string[] | undefined>;

/** Case-insensitive header lookup; the first value when repeated. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * Checks X-Twilio-Signature with the SDK's algorithm (HMAC-SHA1 over the public URL, plus
 * the sorted form parameters for a form POST; for a JSON body the URL carries bodySHA256,
 * checked against the raw body). publicUrl must be the URL Twilio called (PUBLIC_URL based).
 */
export function verifyTwilioSignature(
  authToken: string,
  publicUrl: string,
  headers: Headers,
  body: Record<string, unknown>,
  rawBody?: Buffer | string,
): boolean {
  const signature = headerValue(headers, 'x-twilio-signature');
  if (!authToken || !signature) return false;
  try {
    if (new URL(publicUrl).searchParams.has('bodySHA256')) {
      const raw = rawBody === undefined ? JSON.stringify(body) : rawBody.toString();
      return twilio.validateRequestWithBody(authToken, signature, publicUrl, raw);
    }
    return twilio.validateRequest(authToken, signature, publicUrl, body);
  } catch {
    // A malformed URL cannot carry a valid signature.
    return false;
  }
}

/** The signature Twilio would send for a form POST to url: for fakes and tests. */
export function signTwilioRequest(
  authToken: string,
  url: string,
  params: Record<string, unknown>,
): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}
