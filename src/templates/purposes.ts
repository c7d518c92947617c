import { DomainError } from '../common/errors/domain-error';
import { PURPOSES, type Purpose, type Role } from '../common/names';

/**
 * What a template may be sent for when its front matter or its API version states nothing:
 * marketing, the purpose with the most checks (marketing consent, quiet hours, frequency caps,
 * an unsubscribe link), so an unstated template never escapes them.
 */
export const DEFAULT_PURPOSES: readonly Purpose[] = ['marketing'];

/** `transactional, service` or `[transactional, service]`; throws naming an unknown purpose. */
export function parsePurposes(value: string): Purpose[] {
  const names = value
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((p) => p.trim().replace(/^['"]|['"]$/g, ''))
    .filter((p) => p !== '');
  if (names.length === 0) throw new Error(`purposes: empty (one or more of ${PURPOSES.join(', ')})`);
  for (const name of names)
    if (!(PURPOSES as readonly string[]).includes(name))
      throw new Error(`purposes: unknown purpose ${name} (one of ${PURPOSES.join(', ')})`);
  return PURPOSES.filter((p) => names.includes(p));
}

/**
 * Why a send of `template` for `purpose` by a caller of `role` is refused, or null: a marketer
 * sends only for marketing (403); the template must allow the purpose (422). `allowed` null: an
 * unknown template, refused elsewhere with its own message.
 */
export function purposeRefusal(
  template: string,
  allowed: readonly Purpose[] | null,
  purpose: Purpose,
  role: Role | null,
): DomainError | null {
  if (role === 'marketer' && purpose !== 'marketing')
    return new DomainError(
      'forbidden',
      `purpose: a marketer sends only for marketing, not ${purpose}`,
    );
  if (allowed !== null && !allowed.includes(purpose))
    return new DomainError(
      'unprocessable',
      `purpose: template ${template} may be sent for ${allowed.join(', ')}, not ${purpose}`,
      { purpose, allowed },
    );
  return null;
}
