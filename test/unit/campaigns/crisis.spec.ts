import { confirmationRefusal } from '../../../src/campaigns/crisis/confirmation';
import { noticeBasis } from '../../../src/campaigns/crisis/legal-basis';
import { noticeLine, NOTICE_HEADER } from '../../../src/campaigns/crisis/proof-of-notice';
import type { NoticeRow } from '../../../src/campaigns/crisis/crisis.repository';
import { shapeReach } from '../../../src/campaigns/crisis/reach';

describe('crisis broadcast: confirmation', () => {
  const crisis = { kind: 'crisis' as const, name: 'Flood 洪水' };
  it('asks a crisis broadcast for its name: missing 400, wrong 409, right none', () => {
    expect(confirmationRefusal(crisis, undefined)?.code).toBe('bad_request');
    expect(confirmationRefusal(crisis, '  ')?.code).toBe('bad_request');
    expect(confirmationRefusal(crisis, 'Flood')?.code).toBe('conflict');
    expect(confirmationRefusal(crisis, 'Flood 洪水 ')).toBeNull();
    expect(confirmationRefusal({ kind: 'standard', name: 'Sale' }, undefined)).toBeNull();
  });
});

describe('crisis broadcast: legal basis', () => {
  it('rests on consent granted, else on the stated basis; a revocation is named, never used', () => {
    expect(noticeBasis({ id: 'k1', status: 'granted' }, 'vital_interest')).toEqual({
      basis: 'consent',
      consentEntryId: 'k1',
      consentStatus: 'granted',
    });
    expect(noticeBasis(null, 'legal_obligation')).toEqual({
      basis: 'legal_obligation',
      consentEntryId: null,
      consentStatus: null,
    });
    expect(noticeBasis({ id: 'k2', status: 'revoked' }, 'vital_interest')).toEqual({
      basis: 'vital_interest',
      consentEntryId: 'k2',
      consentStatus: 'revoked',
    });
  });
});

describe('crisis broadcast: reach', () => {
  it('totals the cells per channel and per hop, hops in order', () => {
    const cell = (channel: string, hop: number, delivered: number, pending: number) => ({
      channel,
      hop,
      attempted: delivered + pending,
      delivered,
      read: 0,
      failed: 0,
      pending,
      notSent: 0,
    });
    const r = shapeReach([cell('email', 1, 1, 0), cell('sms', 0, 2, 1), cell('email', 0, 3, 0)]);
    expect(r.cells.map((c) => `${c.channel}/${c.hop}`)).toEqual(['email/0', 'sms/0', 'email/1']);
    expect(r.byHop.map((h) => [h.hop, h.attempted, h.delivered, h.pending])).toEqual([
      [0, 6, 5, 1],
      [1, 1, 1, 0],
    ]);
    expect(r.byChannel.email).toMatchObject({ attempted: 4, delivered: 4 });
  });
});

describe('crisis broadcast: proof-of-notice line', () => {
  const row: NoticeRow = {
    customer_id: 'c1',
    display_name: '=cmd()',
    recipient_status: 'sent',
    suppression: null,
    reasons: null,
    message_id: 'm1',
    hop: 1,
    channel: 'sms',
    message_address: '+8613812345678',
    message_status: 'delivered',
    fallback_reason: 'fallback to sms: email message sent, not delivered within 60s',
    message_at: new Date('2026-12-03T10:00:00Z'),
    attempt_no: 1,
    attempt_at: new Date('2026-12-03T10:00:01Z'),
    attempt_status: 'delivered',
    attempt_address: '+8613812345678',
    error_code: null,
    error: null,
    provider_message_id: 'SM1',
    sent_at: null,
    delivered_at: new Date('2026-12-03T10:00:02Z'),
    read_at: null,
    failed_at: null,
    consent_id: null,
    consent_status: null,
    consent_at: null,
  };
  const cells = (line: string) =>
    line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
  it('masks the address, escapes formulas and names the stated basis', () => {
    const out = cells(noticeLine('k', 'vital_interest', row, false));
    const col = (name: string) => out[NOTICE_HEADER.indexOf(name)];
    expect(col('customer_name')).toBe("'=cmd()");
    expect(col('address')).toBe('138****5678');
    expect(col('hop')).toBe('1');
    expect(col('legal_basis')).toBe('vital_interest');
    expect(col('delivered_at')).toBe('2026-12-03T10:00:02.000Z');
    expect(col('fallback_reason')).toBe(
      '"fallback to sms: email message sent, not delivered within 60s"',
    );
    expect(
      cells(noticeLine('k', 'vital_interest', row, true))[NOTICE_HEADER.indexOf('address')],
    ).toBe("'+8613812345678");
  });
});
