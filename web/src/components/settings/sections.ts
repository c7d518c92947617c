import type { MessageKey } from '../../i18n';
import type { Role } from '../../types';

export type SectionKey =
  | 'users'
  | 'teams'
  | 'sla'
  | 'canned'
  | 'channels'
  | 'routing'
  | 'api-keys'
  | 'webhooks'
  | 'automation';

/** Each settings section and who may open it (as the server's permission table allows). */
export const SECTIONS: Array<{ key: SectionKey; label: MessageKey; roles: Role[] }> = [
  { key: 'users', label: 'settings.section.users', roles: ['admin'] },
  { key: 'teams', label: 'settings.section.teams', roles: ['admin', 'supervisor'] },
  { key: 'sla', label: 'settings.section.sla', roles: ['admin', 'supervisor'] },
  { key: 'canned', label: 'settings.section.canned', roles: ['admin', 'supervisor'] },
  { key: 'channels', label: 'settings.section.channels', roles: ['admin'] },
  { key: 'routing', label: 'settings.section.routing', roles: ['admin'] },
  { key: 'api-keys', label: 'settings.section.apiKeys', roles: ['admin'] },
  { key: 'webhooks', label: 'settings.section.webhooks', roles: ['admin'] },
  { key: 'automation', label: 'automation.section', roles: ['admin', 'supervisor'] },
];

export function sectionsFor(role: Role | undefined): typeof SECTIONS {
  return role ? SECTIONS.filter((s) => s.roles.includes(role)) : [];
}

/** Whether the settings nav item shows for this role. */
export function canSeeSettings(role: Role | undefined): boolean {
  return sectionsFor(role).length > 0;
}
