import { addressKindOf, channelsOfKind } from '../../src/common/names';

describe('addressKindOf', () => {
  it('keys sms and voice on one phone address', () => {
    expect(addressKindOf('sms')).toBe('phone');
    expect(addressKindOf('voice')).toBe('phone');
    expect(channelsOfKind('phone')).toEqual(['sms', 'voice']);
    expect(addressKindOf('email')).toBe('email');
  });
});
