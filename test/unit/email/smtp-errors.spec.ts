import { ChannelSendError } from '../../../src/channels/channel-port';
import { classifySmtpError } from '../../../channel-adapters/email/smtp-errors';

describe(classifySmtpError.name, () => {
  it.each([
    [
      { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 user unknown' },
      'permanent',
      '550',
    ],
    [{ code: 'EENVELOPE', responseCode: 551, response: '551 user not local' }, 'permanent', '551'],
    [
      { code: 'EENVELOPE', responseCode: 553, response: '553 mailbox name not allowed' },
      'permanent',
      '553',
    ],
    [{ code: 'EMESSAGE', responseCode: 552, response: '552 too big' }, 'permanent', '552'],
    [{ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad credentials' }, 'auth', '535'],
    [{ code: 'EENVELOPE', responseCode: 451, response: '451 try later' }, 'transient', '451'],
    [{ code: 'EENVELOPE', responseCode: 421, response: '421 closing' }, 'transient', '421'],
    [{ code: 'EPROTOCOL', responseCode: 503, response: '503 bad sequence' }, 'transient', '503'],
    [
      { code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
      'transient',
      'ECONNREFUSED',
    ],
    [{ code: 'ETIMEDOUT', message: 'Connection timeout' }, 'transient', 'ETIMEDOUT'],
    [{ code: 'ECONNRESET', message: 'socket hang up' }, 'transient', 'ECONNRESET'],
    [{ code: 'EAUTH', message: 'Missing credentials for "PLAIN"' }, 'auth', 'EAUTH'],
    [new Error('something odd'), 'unknown', undefined],
  ])('classifies %j as %s', (err, errorClass, providerCode) => {
    const mapped = classifySmtpError(err);
    expect(mapped).toBeInstanceOf(ChannelSendError);
    expect(mapped.errorClass).toBe(errorClass);
    expect(mapped.providerCode).toBe(providerCode);
  });
});
