import { sendRefusal, type SendCheck } from '../../../src/delivery/send-refusal';

describe(sendRefusal.name, () => {
  const active = { address: '+8613800000000', status: 'active' };
  const cases: Array<[string, 'transactional' | 'marketing', SendCheck, string | null]> = [
    ['no identity', 'transactional', { identity: null, consent: null }, 'has no sms identity'],
    [
      'an undeliverable address',
      'transactional',
      { identity: { ...active, status: 'undeliverable' }, consent: 'granted' },
      'address is undeliverable',
    ],
    ['revoked', 'transactional', { identity: active, consent: 'revoked' }, 'revoked transactional'],
    [
      'no consent record, transactional',
      'transactional',
      { identity: active, consent: null },
      null,
    ],
    ['granted', 'transactional', { identity: active, consent: 'granted' }, null],
    ['marketing without a grant', 'marketing', { identity: active, consent: null }, 'no marketing'],
    [
      'marketing revoked',
      'marketing',
      { identity: active, consent: 'revoked' },
      'revoked marketing',
    ],
    ['marketing granted', 'marketing', { identity: active, consent: 'granted' }, null],
  ];

  it.each(cases)('%s', (_, purpose, check, expected) => {
    const refusal = sendRefusal('sms', purpose, check);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toContain(expected);
  });
});
