// #/campaigns/new: a marketer builds a campaign (segment with a live count, template, topic,
// purpose, urgency, A/B split, schedule, send rate) and creates it as a draft; a server error
// shows next to the field it names.
import '../../builder.css';
import { useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import {
  emptyForm,
  fieldErrors,
  PURPOSES,
  toBody,
  URGENCIES,
  type BuilderForm,
  type Field,
  type Segment,
} from '../../builder-form';
import { fullTime } from '../../format';
import { useBuilderLists } from '../../hooks/useBuilderLists';
import { t, type MessageKey } from '../../i18n';
import { navigate } from '../../router';
import { BuilderSegment } from './BuilderSegment';
import { TemplateFacts, TemplatePick } from './BuilderTemplate';
import { BuilderVariants } from './BuilderVariants';

type Errors = Partial<Record<Field | 'general', string>>;
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function FieldError({ field, errors }: { field: Field; errors: Errors }) {
  const e = errors[field];
  return e ? (
    <p class="form-error" role="alert" data-testid={`error-${field}`}>
      {e}
    </p>
  ) : null;
}

export function CampaignBuilder() {
  const { segments, templates, error: listError } = useBuilderLists();
  const [form, setForm] = useState<BuilderForm>(emptyForm);
  const [segment, setSegment] = useState<Segment | null>({});
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof BuilderForm>(k: K, v: BuilderForm[K]) =>
    setForm((f) => ({ ...f, [k]: v }));
  const chosen = templates?.find((tpl) => tpl.key === form.template) ?? null;

  const submit = async (e: Event) => {
    e.preventDefault();
    const missing: Errors = {};
    if (!form.name.trim()) missing.name = t('builder.required');
    if (!form.topic.trim()) missing.topic = t('builder.required');
    if (segment === null) missing.segment = t('builder.required');
    if (form.ab ? form.variants.some((v) => !v.template) : !form.template)
      missing[form.ab ? 'variants' : 'template'] = t('builder.required');
    setErrors(missing);
    if (Object.keys(missing).length > 0 || segment === null) return;
    setBusy(true);
    try {
      const created = await unwrap(
        client.POST('/api/v1/campaigns', { body: toBody({ ...form, segment }) }),
      );
      navigate(`#/campaigns/${encodeURIComponent(created.id)}`);
    } catch (err) {
      const found = fieldErrors(err instanceof Error ? err.message : String(err));
      // A/B templates are checked as "template:" by the server.
      if (form.ab && found.template && !found.variants) found.variants = found.template;
      setErrors(found);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page campaign-builder" data-testid="campaign-builder">
      <a href="#/campaigns" class="back-link">
        ← {t('builder.back')}
      </a>
      <h1>{t('builder.title')}</h1>
      {listError && (
        <p class="form-error" role="alert">
          {listError}
        </p>
      )}
      <form class="builder-form" onSubmit={submit} noValidate>
        <label class="builder-field">
          {t('builder.name')}
          <input
            value={form.name}
            maxLength={200}
            data-testid="builder-name"
            onInput={(e) => set('name', (e.target as HTMLInputElement).value)}
          />
          <FieldError field="name" errors={errors} />
        </label>
        <BuilderSegment saved={segments} onChange={setSegment} error={errors.segment} />
        <fieldset class="builder-field">
          <legend>{t('builder.template')}</legend>
          <label class="check">
            <input
              type="checkbox"
              checked={form.ab}
              data-testid="builder-ab"
              onChange={(e) => set('ab', (e.target as HTMLInputElement).checked)}
            />
            {t('builder.ab.on')}
          </label>
          {form.ab ? (
            <>
              <BuilderVariants
                templates={templates}
                rows={form.variants}
                onChange={(rows) => set('variants', rows)}
              />
              <FieldError field="variants" errors={errors} />
            </>
          ) : (
            <>
              <TemplatePick
                templates={templates}
                value={form.template}
                onChange={(key) => set('template', key)}
                testId="builder-template"
              />
              {chosen && <TemplateFacts template={chosen} />}
            </>
          )}
          <FieldError field="template" errors={errors} />
        </fieldset>
        <div class="builder-row">
          <label class="builder-field">
            {t('builder.topic')}
            <input
              value={form.topic}
              maxLength={100}
              placeholder={t('builder.topic.hint')}
              data-testid="builder-topic"
              onInput={(e) => set('topic', (e.target as HTMLInputElement).value)}
            />
            <FieldError field="topic" errors={errors} />
          </label>
          <label class="builder-field">
            {t('builder.purpose')}
            <select
              value={form.purpose}
              data-testid="builder-purpose"
              onChange={(e) =>
                set('purpose', (e.target as HTMLSelectElement).value as BuilderForm['purpose'])
              }
            >
              {PURPOSES.map((p) => (
                <option value={p}>{t(`campaigns.purpose.${p}` as MessageKey)}</option>
              ))}
            </select>
            <FieldError field="purpose" errors={errors} />
          </label>
          <label class="builder-field">
            {t('builder.urgency')}
            <select
              value={form.urgency}
              data-testid="builder-urgency"
              onChange={(e) =>
                set('urgency', (e.target as HTMLSelectElement).value as BuilderForm['urgency'])
              }
            >
              {URGENCIES.map((u) => (
                <option value={u}>{t(`builder.urgency.${u}` as MessageKey)}</option>
              ))}
            </select>
            <FieldError field="urgency" errors={errors} />
          </label>
        </div>
        <fieldset class="builder-field">
          <legend>{t('builder.schedule')}</legend>
          <label class="builder-field">
            {t('builder.schedule.at', { zone: ZONE })}
            <input
              type="datetime-local"
              value={form.sendAt}
              data-testid="builder-send-at"
              onInput={(e) => set('sendAt', (e.target as HTMLInputElement).value)}
            />
          </label>
          <p class="muted small" data-testid="builder-schedule-summary">
            {form.sendAt
              ? t('builder.schedule.summary', {
                  time: fullTime(new Date(form.sendAt).toISOString()),
                  zone: ZONE,
                })
              : t('builder.schedule.now')}
          </p>
          <FieldError field="sendAt" errors={errors} />
          <label class="builder-field">
            {t('builder.rate')}
            <input
              type="number"
              min={1}
              max={100000}
              inputMode="numeric"
              value={form.ratePerSecond}
              data-testid="builder-rate"
              onInput={(e) => set('ratePerSecond', (e.target as HTMLInputElement).value)}
            />
            <FieldError field="ratePerSecond" errors={errors} />
          </label>
        </fieldset>
        {errors.general && (
          <p class="form-error" role="alert" data-testid="builder-error">
            {t('builder.error', { error: errors.general })}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy} data-testid="builder-create">
          {busy ? t('builder.creating') : t('builder.create')}
        </button>
      </form>
    </main>
  );
}
