import {
  duplicateProbes,
  duplicateVerdict,
  normaliseName,
  normalisePhone,
  type DuplicateParty,
} from '../../../src/customers/duplicate-score';

const party = (displayName: string, ...ids: string[]): DuplicateParty => ({
  displayName,
  identities: ids.map((id) => {
    const [kind, address] = id.split(':');
    return { kind, address };
  }),
});

describe('duplicateVerdict', () => {
  it.each<[string, DuplicateParty, DuplicateParty, number | null, string[]]>([
    [
      'the same phone written two ways',
      party('陈静', 'phone:+8613800138000'),
      party('Jing Chen', 'phone:13800138000'),
      100,
      ['samePhone'],
    ],
    [
      'the same e-mail whatever the case',
      party('王芳', 'email:Wang.Fang@Example.com'),
      party('芳', 'email:wang.fang@example.com'),
      100,
      ['sameEmail'],
    ],
    [
      'same name and the same last four digits',
      party('陈静', 'phone:+8613800138000'),
      party('陈静', 'phone:+8613911118000'),
      80,
      ['sameNameAndPhoneSuffix', 'sameName'],
    ],
    [
      'same name and the same e-mail local part',
      party('Li Lei', 'email:lilei@qq.com'),
      party('li lei', 'email:lilei@163.com'),
      70,
      ['sameNameAndEmailLocalPart', 'sameName'],
    ],
    [
      'a name in full width and another case',
      party('ＣＨＥＮ  Jing'),
      party('chen jing'),
      40,
      ['sameName'],
    ],
    [
      'the same phone and the same name: every reason, strongest first',
      party('陈静', 'phone:+8613800138000'),
      party('陈静', 'phone:+86 138 0013 8000'),
      100,
      ['samePhone', 'sameNameAndPhoneSuffix', 'sameName'],
    ],
    [
      'a different name, phone suffix alone is not enough',
      party('陈静', 'phone:+8613800138000'),
      party('王芳', 'phone:+8613911118000'),
      null,
      [],
    ],
    [
      'an e-mail local part alone is not enough',
      party('Li Lei', 'email:lilei@qq.com'),
      party('Han Meimei', 'email:lilei@163.com'),
      null,
      [],
    ],
    ['nothing in common', party('陈静'), party('陈静怡'), null, []],
  ])('%s', (_label, a, b, score, reasons) => {
    const v = duplicateVerdict(a, b);
    expect(v?.score ?? null).toBe(score);
    expect(v?.reasons ?? []).toEqual(reasons);
    expect(duplicateVerdict(b, a)?.score ?? null).toBe(score);
  });
});

describe('normalisers', () => {
  it('folds width, case and spaces of names', () => {
    expect(normaliseName(' ＷＡＮＧ　Fang ')).toBe('wang fang');
  });
  it('reads +86, 0086 and punctuation away from Chinese mobile numbers', () => {
    expect(normalisePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalisePhone('008613800138000')).toBe('13800138000');
    expect(normalisePhone('+14155550100')).toBe('14155550100');
  });
});

describe('duplicateProbes', () => {
  it('asks the indexes for names, addresses, local parts and reversed phone suffixes', () => {
    const p = duplicateProbes(party('Ｌｉ Lei', 'email:LiLei@qq.com', 'phone:+8613800138123'));
    expect(p.name).toBe('li lei');
    expect(p.emails).toEqual(['lilei@qq.com']);
    expect(p.emailLocalParts).toEqual(['lilei']);
    expect(p.reversedPhoneSuffixes).toEqual(['3218']);
  });
});
