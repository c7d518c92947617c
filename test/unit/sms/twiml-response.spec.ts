import { twimlResponse } from '../../../channel-adapters/sms/twiml-response';

describe(twimlResponse.name, () => {
  it('answers an empty Response when nothing is to be said', () => {
    expect(twimlResponse()).toBe('<Response/>');
  });

  it('wraps a reply in one Message, escaping XML', () => {
    expect(twimlResponse('Reply HELP <info> & STOP to opt out')).toBe(
      '<Response><Message>Reply HELP &lt;info&gt; &amp; STOP to opt out</Message></Response>',
    );
  });
});
