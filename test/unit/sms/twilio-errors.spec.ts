import { ChannelSendError } from '../../../src/channels/channel-port';
import { classifyTwilioError } from '../../../channel-adapters/twilio-common/twilio-errors';

function restError(code: number | undefined, status: number): Error {
  return Object.assign(new Error('twilio says no'), { code, status });
}

describe(classifyTwilioError.name, () => {
  it('reads 21610 as a permanent opt-out', () => {
    const error = classifyTwilioError(restError(21610, 400));
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ errorClass: 'permanent', providerCode: '21610', optOut: true });
  });

  it.each([21211, 21614, 30005, 30006])('reads %s as permanent, not an opt-out', (code) => {
    expect(classifyTwilioError(restError(code, 400))).toMatchObject({
      errorClass: 'permanent',
      optOut: false,
    });
  });

  it.each([20003, 20404])('reads %s as an auth problem', (code) => {
    expect(classifyTwilioError(restError(code, code === 20003 ? 401 : 404))).toMatchObject({
      errorClass: 'auth',
    });
  });

  it.each([429, 500, 503])('reads HTTP %s as transient', (status) => {
    expect(classifyTwilioError(restError(undefined, status))).toMatchObject({
      errorClass: 'transient',
    });
  });

  it('reads a connection error as transient', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyTwilioError(error)).toMatchObject({
      errorClass: 'transient',
      providerCode: 'ECONNREFUSED',
    });
  });

  it('reads anything else as unknown and passes ChannelSendErrors through', () => {
    expect(classifyTwilioError('boom')).toMatchObject({ errorClass: 'unknown' });
    const already = new ChannelSendError('auth', 'x');
    expect(classifyTwilioError(already)).toBe(already);
  });
});
