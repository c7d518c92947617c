import { customerSearchTerm } from '../../../src/customers/customer-search-term';

describe('customer search terms', () => {
  it('reads a phone typed in national or international format as E.164 (region CN)', () => {
    for (const typed of [
      '138 0013 8000',
      '+86 138-0013-8000',
      '13800138000',
      '+86 (138) 0013 8000',
    ])
      expect(customerSearchTerm(typed).phone).toBe('+8613800138000');
    expect(customerSearchTerm('138 0013 8000').phoneDigits).toBe('13800138000');
  });

  it('looks up the last digits of a number from four digits on', () => {
    expect(customerSearchTerm('8000')).toMatchObject({ phone: null, phoneDigits: '8000' });
    expect(customerSearchTerm('800').phoneDigits).toBeNull();
    expect(customerSearchTerm('order 8000').phoneDigits).toBeNull();
  });

  it('matches addresses from three characters, lower-cased, and names from one', () => {
    expect(customerSearchTerm('Chen.Jing@')).toMatchObject({
      address: 'chen.jing@',
      name: 'Chen.Jing@',
    });
    expect(customerSearchTerm('陈静')).toEqual({
      name: '陈静',
      address: null,
      phone: null,
      phoneDigits: null,
    });
    expect(customerSearchTerm('静').name).toBe('静');
    expect(customerSearchTerm('chen jing').address).toBeNull();
  });
});
