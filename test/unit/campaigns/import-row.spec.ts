import { headerColumn, parseRow, readHeader } from '../../../src/campaigns/customer-import';

describe('parseRow', () => {
  it('normalizes identities and reads tags, consents and extra columns as attributes', () => {
    const r = parseRow({
      name: ' Li Wei ',
      email: 'LI@Example.COM',
      phone: '+86 138 0013 8000',
      tags: 'vip; beta',
      marketing_email: 'Yes',
      plan: 'pro',
      spend: '12.5',
      timezone: 'Asia/Shanghai',
    });
    expect(r.reasons).toEqual([]);
    expect(r.row).toEqual({
      displayName: 'Li Wei',
      locale: undefined,
      timezone: 'Asia/Shanghai',
      tags: ['vip', 'beta'],
      identities: [
        { channel: 'email', kind: 'email', address: 'li@example.com' },
        { channel: 'sms', kind: 'phone', address: '+8613800138000' },
      ],
      attributes: { plan: 'pro', spend: 12.5 },
      marketing: ['email'],
    });
  });

  it('reads WhatsApp marketing consent for the phone number (marketing_whatsapp)', () => {
    const r = parseRow({ name: 'Wang', phone: '+8613800138000', marketing_whatsapp: 'yes' });
    expect(r.row?.marketing).toEqual(['whatsapp']);
    expect(r.row?.attributes).toEqual({});
  });

  it.each([
    [{ email: 'a@b.co' }, 'name: missing'],
    [{ name: 'x', phone: '12345' }, 'phone: "12345" is not a valid phone number'],
    [{ name: 'x', email: 'not-mail' }, 'email: "not-mail" is not a valid e-mail address'],
    [{ name: 'x' }, 'email/phone/wechat: at least one is required'],
    [{ name: 'x', email: 'a@b.co', timezone: 'Mars/Base' }, 'timezone: "Mars/Base"'],
    [{ name: 'x', email: 'a@b.co', locale: 'English!' }, 'locale: "English!"'],
  ])('rejects %j with a reason naming the column', (rec, reason) => {
    const r = parseRow(rec as Record<string, string>);
    expect(r.row).toBeUndefined();
    expect(r.reasons.join('; ')).toContain(reason);
  });

  it('lists every problem of a row, not just the first', () => {
    expect(parseRow({ name: '', phone: '1', timezone: 'X/Y' }).reasons).toHaveLength(3);
  });
});

describe('the import header', () => {
  it.each([
    ['displayName', 'name'],
    [' Full Name ', 'name'],
    ['E-mail', 'email'],
    ['Phone Number', 'phone'],
    ['mobile', 'phone'],
    ['WeChat ID', 'wechat'],
    ['Time zone', 'timezone'],
    ['marketing-sms', 'marketing_sms'],
    ['Loyalty Tier', 'loyalty_tier'],
  ])('reads %j as %j', (cell, column) => {
    expect(headerColumn(cell)).toBe(column);
  });

  it('refuses a header without a name or without any identity column, naming what it has', () => {
    expect(readHeader(['Name', 'Email', 'plan'])).toEqual(['name', 'email', 'plan']);
    expect(() => readHeader(['email', 'plan'])).toThrow(
      'header: needs a name column (name or displayName); it has "email", "plan"',
    );
    expect(() => readHeader(['name', 'plan'])).toThrow(
      'header: needs at least one of email, phone, wechat; it has "name", "plan"',
    );
  });
});
