import twilio from 'twilio';

/** Drops the XML declaration the SDK prepends: Twilio accepts either form. */
export function stripXmlDeclaration(xml: string): string {
  return xml.replace(/^<\?xml[^>]*\?>\s*/, '');
}

/** The answer to an inbound SMS: '<Response/>' or one <Message> reply. */
export function twimlResponse(message?: string): string {
  const response = new twilio.twiml.MessagingResponse();
  if (message) response.message(message);
  return stripXmlDeclaration(response.toString());
}
