import { useState } from 'preact/hooks';
import { saveCustomer } from '../hooks/useCustomerPanelData';
import { t } from '../i18n';
import type { Customer } from '../types';

const LOCALES = ['zh-CN', 'en'] as const;

/** IANA zones the browser knows, with the customer's own kept even if it does not. */
function timeZones(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? ['Asia/Shanghai', 'UTC'];
  return zones.includes(current) ? zones : [current, ...zones];
}

interface Row {
  key: string;
  value: string;
}

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A typed value back: JSON when it reads as JSON (numbers, true, objects), else the text. */
function typed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface Props {
  customer: Customer;
  onSaved: (c: Customer) => void;
  onCancel: () => void;
}

/** Name, locale, time zone, tags and attributes, saved through PATCH /customers/:id. */
export function CustomerEditForm({ customer, onSaved, onCancel }: Props) {
  const [name, setName] = useState(customer.displayName);
  const [loc, setLoc] = useState(customer.locale ?? 'en');
  const [zone, setZone] = useState(customer.timezone ?? 'UTC');
  const [tags, setTags] = useState((customer.tags ?? []).join(', '));
  const [rows, setRows] = useState<Row[]>(
    Object.entries(customer.attributes ?? {}).map(([key, v]) => ({ key, value: shown(v) })),
  );
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const original = customer.attributes ?? {};

  const setRow = (i: number, row: Partial<Row>) =>
    setRows((rs) => rs.map((r, n) => (n === i ? { ...r, ...row } : r)));

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    const attributes: Record<string, unknown> = {};
    for (const r of rows) {
      const key = r.key.trim();
      if (!key) continue;
      attributes[key] = typeof original[key] === 'string' ? r.value : typed(r.value);
    }
    try {
      const saved = await saveCustomer(customer.id, {
        displayName: name,
        locale: loc,
        timezone: zone,
        tags: tags
          .split(/[,，]/)
          .map((x) => x.trim())
          .filter(Boolean),
        attributes,
      });
      onSaved(saved);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="customer-edit" data-testid="customer-edit" onSubmit={submit}>
      <label>
        {t('customer.edit.name')}
        <input
          value={name}
          data-testid="customer-edit-name"
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </label>
      <label>
        {t('customer.edit.locale')}
        <select
          value={loc}
          data-testid="customer-edit-locale"
          onChange={(e) => setLoc(e.currentTarget.value)}
        >
          {!LOCALES.includes(loc as (typeof LOCALES)[number]) && <option value={loc}>{loc}</option>}
          <option value="zh-CN">{t('customer.edit.locale.zh')}</option>
          <option value="en">{t('customer.edit.locale.en')}</option>
        </select>
      </label>
      <label>
        {t('customer.edit.timezone')}
        <select
          value={zone}
          data-testid="customer-edit-timezone"
          onChange={(e) => setZone(e.currentTarget.value)}
        >
          {timeZones(zone).map((z) => (
            <option value={z}>{z}</option>
          ))}
        </select>
      </label>
      <label>
        {t('customer.edit.tags')}
        <input
          value={tags}
          data-testid="customer-edit-tags"
          placeholder={t('customer.edit.tagsHint')}
          onInput={(e) => setTags(e.currentTarget.value)}
        />
      </label>
      <fieldset>
        <legend>{t('customer.edit.attributes')}</legend>
        {rows.map((r, i) => (
          <div class="attr-row" data-testid="customer-edit-attr">
            <input
              value={r.key}
              aria-label={t('customer.edit.attrKey')}
              placeholder={t('customer.edit.attrKey')}
              onInput={(e) => setRow(i, { key: e.currentTarget.value })}
            />
            <input
              value={r.value}
              aria-label={t('customer.edit.attrValue')}
              placeholder={t('customer.edit.attrValue')}
              onInput={(e) => setRow(i, { value: e.currentTarget.value })}
            />
            <button
              type="button"
              class="link"
              onClick={() => setRows((rs) => rs.filter((_, n) => n !== i))}
            >
              {t('customer.edit.attrRemove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          class="link"
          data-testid="customer-edit-attr-add"
          onClick={() => setRows((rs) => [...rs, { key: '', value: '' }])}
        >
          {t('customer.edit.attrAdd')}
        </button>
      </fieldset>
      {error && (
        <p class="form-error" role="alert" data-testid="customer-edit-error">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={saving} data-testid="customer-edit-save">
          {t('customer.edit.save')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('customer.edit.cancel')}
        </button>
      </div>
    </form>
  );
}
