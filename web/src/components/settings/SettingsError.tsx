import { t } from '../../i18n';

/** Why the last load or change failed (the server's message names the field). */
export function SettingsError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p class="form-error" role="alert" data-testid="settings-error">
      {t('settings.error', { message })}
    </p>
  );
}
