import type { ComponentChildren } from 'preact';
import { t } from '../../i18n';
import type { Load } from '../../hooks/useContactPage';

/** A titled section of the customer page: a loading line, the error, or `children(value)`. */
export function Section<T>({
  id,
  title,
  load,
  children,
}: {
  id: string;
  title: string;
  load: Load<T>;
  children: (value: T) => ComponentChildren;
}) {
  return (
    <section class="contact-section" data-testid={`contact-${id}`} aria-labelledby={`h-${id}`}>
      <h2 id={`h-${id}`}>{title}</h2>
      {load.state === 'loading' && <p class="muted small">{t('common.loading')}</p>}
      {load.state === 'error' && (
        <p class="form-error small" role="alert">
          {load.message}
        </p>
      )}
      {load.state === 'ready' && children(load.value)}
    </section>
  );
}
