import { t } from '../../i18n';
import type { User } from '../../types';
import { ApiKeysSection } from './ApiKeysSection';
import { AutomationSection } from './AutomationSection';
import { CannedSection } from './CannedSection';
import { ChannelsSection } from './ChannelsSection';
import { RoutingSection } from './RoutingSection';
import { sectionsFor, type SectionKey } from './sections';
import { SlaSection } from './SlaSection';
import { TeamsSection } from './TeamsSection';
import { UsersSection } from './UsersSection';
import { WebhooksSection } from './WebhooksSection';
import '../../settings.css';

const BODIES: Record<SectionKey, () => preact.JSX.Element> = {
  users: UsersSection,
  teams: TeamsSection,
  sla: SlaSection,
  canned: CannedSection,
  channels: ChannelsSection,
  routing: RoutingSection,
  'api-keys': ApiKeysSection,
  webhooks: WebhooksSection,
  automation: AutomationSection,
};

/** The settings area: a tab per section the user's role may open, one section shown. */
export function Settings({ me, section }: { me: User | null; section: string | null }) {
  const visible = sectionsFor(me?.role);
  const current = visible.find((s) => s.key === section) ?? visible[0];
  if (!current) return null;
  const Body = BODIES[current.key];
  return (
    <div class="settings" data-testid="settings">
      <nav class="settings-tabs" aria-label={t('settings.title')}>
        {visible.map((s) => (
          <a
            href={`#/settings/${s.key}`}
            class={s.key === current.key ? 'active' : ''}
            aria-current={s.key === current.key ? 'page' : undefined}
            data-testid={`settings-tab-${s.key}`}
          >
            {t(s.label)}
          </a>
        ))}
      </nav>
      <section class="settings-body" data-testid={`settings-${current.key}`}>
        <h1>{t(current.label)}</h1>
        <Body />
      </section>
    </div>
  );
}
