import { addressKindOf, channelsOfKind } from '../../src/common/names';

describe('addressKindOf', () => {
  it('keys sms, voice and whatsapp on one phone address', () => {
    expect(addressKindOf('sms')).toBe('phone');
    expect(addressKindOf('voice')).toBe('phone');
    expect(addressKindOf('whatsapp')).toBe('phone');
    expect(channelsOfKind('phone')).toEqual(['sms', 'voice', 'whatsapp']);
    expect(addressKindOf('email')).toBe('email');
  });
});
