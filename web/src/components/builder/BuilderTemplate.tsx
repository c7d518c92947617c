// The builder's template: a choice among the templates, what each offers (channels, languages,
// variants) and a preview of the rendered message on one of its channels.
import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf } from '../../api/answers';
import { client, unwrap } from '../../api/client';
import { CHANNEL_LABEL } from '../../format';
import type { TemplateListing } from '../../hooks/useBuilderLists';
import { t } from '../../i18n';
import type { Channel } from '../../types';

type Preview = AnswerOf<'/api/v1/templates/{key}/preview', 'post'>;

export function TemplatePick({
  templates,
  value,
  onChange,
  testId,
}: {
  templates: TemplateListing[] | null;
  value: string;
  onChange: (key: string) => void;
  testId: string;
}) {
  return (
    <select
      value={value}
      data-testid={testId}
      onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
    >
      <option value="">{t('builder.template.pick')}</option>
      {(templates ?? []).map((tpl) => (
        <option value={tpl.key}>
          {tpl.key}
          {tpl.description ? ` · ${tpl.description}` : ''}
        </option>
      ))}
    </select>
  );
}

const uniq = (xs: Array<string | null>) => [...new Set(xs.filter((x): x is string => !!x))];

/** What the chosen template offers and its rendered message on the channel picked. */
export function TemplateFacts({ template }: { template: TemplateListing }) {
  const [channel, setChannel] = useState<Channel>(template.channels[0] as Channel);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setChannel(template.channels[0] as Channel), [template.key]);
  useEffect(() => {
    let live = true;
    setPreview(null);
    setError(null);
    if (!channel) return;
    unwrap(
      client.POST('/api/v1/templates/{key}/preview', {
        params: { path: { key: template.key } },
        body: { channel, data: {} },
      }),
    )
      .then((p) => live && setPreview(p))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [template.key, channel]);
  const locales = uniq(template.versions.map((v) => v.locale));
  const variants = uniq(template.versions.map((v) => v.variant));
  return (
    <div class="builder-template" data-testid="template-facts">
      <p class="muted small">
        {t('builder.template.channels', {
          channels: template.channels.map((c) => CHANNEL_LABEL[c as Channel] ?? c).join(' · '),
        })}
        {' · '}
        {t('builder.template.locales', { locales: locales.join(', ') })}
        {variants.length > 0 && (
          <> · {t('builder.template.variants', { variants: variants.join(', ') })}</>
        )}
      </p>
      <div class="builder-inline">
        {template.channels.map((c) => (
          <button
            type="button"
            class={c === channel ? 'chip active' : 'chip'}
            aria-pressed={c === channel}
            onClick={() => setChannel(c as Channel)}
          >
            {t('builder.preview', { channel: CHANNEL_LABEL[c as Channel] ?? c })}
          </button>
        ))}
      </div>
      {error && <p class="muted small">{t('builder.previewFailed', { error })}</p>}
      {preview && (
        <div class="builder-preview" data-testid="template-preview">
          {preview.subject && <strong>{preview.subject}</strong>}
          <pre>{preview.text}</pre>
        </div>
      )}
    </div>
  );
}
