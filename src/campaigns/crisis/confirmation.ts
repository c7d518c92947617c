import { DomainError } from '../../common/errors/domain-error';
import type { CampaignRow } from '../campaign-types';

/**
 * A crisis broadcast goes out only when its launch repeats its name (as GitHub asks before a
 * deletion): whoever launches has read which broadcast, and its reach, in the confirmation step.
 * Missing: 400; not the name: 409. Other campaigns need no confirmation. Pure.
 */
export function confirmationRefusal(
  c: Pick<CampaignRow, 'kind' | 'name'>,
  confirm: string | undefined,
): DomainError | null {
  if (c.kind !== 'crisis') return null;
  if (confirm === undefined || confirm.trim() === '')
    return new DomainError(
      'bad_request',
      'confirm: a crisis broadcast launches only when confirm repeats its name',
    );
  if (confirm.trim() !== c.name.trim())
    return new DomainError(
      'conflict',
      `confirm: "${confirm.slice(0, 200)}" is not this crisis broadcast's name`,
    );
  return null;
}
