/**
 * Whether two customers are likely the same person, and why: a pure decision over their names
 * and identities, so that the suggestions an agent sees can be tested as a table.
 */

export type DuplicateReason =
  'samePhone' | 'sameEmail' | 'sameNameAndPhoneSuffix' | 'sameNameAndEmailLocalPart' | 'sameName';

/** How strongly each reason speaks for one person; a pair scores its strongest reason. */
export const REASON_WEIGHT: Record<DuplicateReason, number> = {
  samePhone: 100,
  sameEmail: 100,
  sameNameAndPhoneSuffix: 80,
  sameNameAndEmailLocalPart: 70,
  sameName: 40,
};

/** Digits at the end of a phone number compared with the name (a number given in part). */
export const PHONE_SUFFIX_DIGITS = 4;

export interface DuplicateParty {
  displayName: string;
  identities: Array<{ kind: string; address: string }>;
}

export interface DuplicateVerdict {
  score: number;
  /** Strongest first. */
  reasons: DuplicateReason[];
}

/** Case, width (全角 ＣＨＥＮ) and spacing set aside. */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function normaliseEmail(address: string): string {
  return address.normalize('NFKC').trim().toLowerCase();
}

/** The national number's digits: a Chinese +86 / 0086 prefix and punctuation set aside. */
export function normalisePhone(address: string): string {
  const digits = address.normalize('NFKC').replace(/\D/g, '');
  const m = /^(?:0086|86)(1\d{10})$/.exec(digits);
  return m ? m[1] : digits;
}

const emailLocalPart = (email: string) => email.slice(0, Math.max(0, email.lastIndexOf('@')));

function addresses(p: DuplicateParty, kind: 'phone' | 'email'): string[] {
  const norm = kind === 'phone' ? normalisePhone : normaliseEmail;
  return p.identities
    .filter((i) => i.kind === kind)
    .map((i) => norm(i.address))
    .filter(Boolean);
}

const meets = (a: string[], b: string[]) => a.some((x) => b.includes(x));

/** Why `a` and `b` look like one person, with a score; null when nothing suggests it. */
export function duplicateVerdict(a: DuplicateParty, b: DuplicateParty): DuplicateVerdict | null {
  const reasons: DuplicateReason[] = [];
  const [phonesA, phonesB] = [addresses(a, 'phone'), addresses(b, 'phone')];
  const [emailsA, emailsB] = [addresses(a, 'email'), addresses(b, 'email')];
  if (meets(phonesA, phonesB)) reasons.push('samePhone');
  if (meets(emailsA, emailsB)) reasons.push('sameEmail');
  const nameA = normaliseName(a.displayName);
  if (nameA && nameA === normaliseName(b.displayName)) {
    const suffix = (p: string[]) =>
      p.filter((x) => x.length >= PHONE_SUFFIX_DIGITS).map((x) => x.slice(-PHONE_SUFFIX_DIGITS));
    const local = (e: string[]) => e.map(emailLocalPart).filter(Boolean);
    if (meets(suffix(phonesA), suffix(phonesB))) reasons.push('sameNameAndPhoneSuffix');
    if (meets(local(emailsA), local(emailsB))) reasons.push('sameNameAndEmailLocalPart');
    reasons.push('sameName');
  }
  if (reasons.length === 0) return null;
  reasons.sort((x, y) => REASON_WEIGHT[y] - REASON_WEIGHT[x]);
  return { score: REASON_WEIGHT[reasons[0]], reasons };
}

/** What to look candidates up by, in the forms the indexes answer (CustomerDuplicatesRepository). */
export interface DuplicateProbes {
  /** The name as normaliseName folds it. */
  name: string;
  emails: string[];
  emailLocalParts: string[];
  /** Reversed last digits of each phone, for customer_identities_phone_suffix. */
  reversedPhoneSuffixes: string[];
}

export function duplicateProbes(p: DuplicateParty): DuplicateProbes {
  const emails = addresses(p, 'email');
  const phones = addresses(p, 'phone').filter((x) => x.length >= PHONE_SUFFIX_DIGITS);
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    name: normaliseName(p.displayName),
    emails: uniq(emails),
    emailLocalParts: uniq(emails.map(emailLocalPart).filter((l) => l.length >= 3)),
    reversedPhoneSuffixes: uniq(
      phones.map((x) => [...x.slice(-PHONE_SUFFIX_DIGITS)].reverse().join('')),
    ),
  };
}
