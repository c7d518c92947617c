import { rewriteTwilioUri } from '../../../channel-adapters/twilio-common/twilio-client';

describe(rewriteTwilioUri.name, () => {
  it('sends api.twilio.com and regional Twilio hosts to the base URL, keeping path and query', () => {
    expect(
      rewriteTwilioUri(
        'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?x=1',
        'http://127.0.0.1:4010',
      ),
    ).toBe('http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?x=1');
    expect(
      rewriteTwilioUri(
        'https://api.sydney.au1.twilio.com/2010-04-01/Calls.json',
        'https://proxy.example/twilio/',
      ),
    ).toBe('https://proxy.example/twilio/2010-04-01/Calls.json');
  });

  it('leaves other hosts alone', () => {
    expect(rewriteTwilioUri('https://eviltwilio.com/x', 'http://127.0.0.1:1')).toBe(
      'https://eviltwilio.com/x',
    );
  });
});
