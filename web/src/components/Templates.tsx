import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { client, unwrap } from '../api/client';
import { emailSrcdoc } from '../email-frame';
import { fullTime } from '../format';
import { locale as appLocale, t, type MessageKey } from '../i18n';
import '../templates.css';

type Channel = 'email' | 'sms' | 'voice' | 'wechat' | 'livechat' | 'whatsapp';
const CHANNELS: Channel[] = ['email', 'sms', 'whatsapp', 'wechat', 'livechat', 'voice'];
const LOCALES = ['en', 'zh-CN'] as const;
/** How long typing pauses before the preview is asked for. */
const PREVIEW_DELAY_MS = 300;

interface Listing {
  key: string;
  description?: string;
  channels: Channel[];
  versions: { channel: Channel; locale: string; variant: string | null }[];
}
interface VersionShape {
  id: string;
  channel: Channel;
  locale: string;
  variant: string | null;
  subject: string | null;
  body: string;
  version: number;
  state: 'draft' | 'published' | 'archived';
  stateChangedAt: string;
}
interface PreviewShape {
  subject?: string;
  text: string;
  html?: string;
  locale: string;
  segments?: {
    encoding: string;
    segments: number;
    units: number;
    perSegment: number;
    characters: number;
  };
}
type PreviewError =
  | { kind: 'missing'; variable: string }
  | { kind: 'syntax'; line: string }
  | { kind: 'data' }
  | { kind: 'other'; status: number };

/** The marketers' template pages: the list of keys, or the editor of one. */
export function Templates({ templateKey }: { templateKey: string | null }) {
  return templateKey ? (
    <TemplateEditor key={templateKey} templateKey={templateKey} />
  ) : (
    <TemplateList />
  );
}

function useListing(): { items: Listing[] | null; error: string | null } {
  const [items, setItems] = useState<Listing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(client.GET('/api/v1/templates'))
      .then((r) => setItems((r as unknown as { items: Listing[] }).items))
      .catch((e: Error) => setError(e.message));
  }, []);
  return { items, error };
}

function TemplateList() {
  const { items, error } = useListing();
  return (
    <main class="page templates-page" data-testid="templates-page">
      <h1>{t('templates.title')}</h1>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {items === null && !error && <p class="muted">{t('templates.loading')}</p>}
      {items?.length === 0 && <p class="muted">{t('templates.empty')}</p>}
      {items && items.length > 0 && (
        <>
          <p class="muted small">{t('templates.pick')}</p>
          <ul class="template-keys">
            {items.map((item) => (
              <li key={item.key}>
                <a href={`#/templates/${encodeURIComponent(item.key)}`} data-testid="template-key">
                  <code data-literal>{item.key}</code>
                </a>
                <span class="muted small">
                  {' '}
                  {item.channels.map((c) => t(`channel.${c}` as MessageKey)).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}

function errorOf(e: unknown): PreviewError {
  if (e instanceof ApiError) {
    const variable = e.details.variable;
    if (e.status === 422 && typeof variable === 'string') return { kind: 'missing', variable };
    if (e.status === 400) {
      const line = e.details.line ?? /line (\d+)/.exec(e.message)?.[1] ?? '?';
      return { kind: 'syntax', line: String(line) };
    }
    return { kind: 'other', status: e.status };
  }
  return { kind: 'other', status: 0 };
}

function PreviewErrorText({ error }: { error: PreviewError }) {
  switch (error.kind) {
    case 'missing': {
      const [before, after] = t('templates.error.missing', { variable: '\u0000' }).split('\u0000');
      return (
        <>
          {before}
          <code data-literal data-testid="template-error-variable">
            {error.variable}
          </code>
          {after}
        </>
      );
    }
    case 'syntax':
      return <>{t('templates.error.syntax', { line: error.line })}</>;
    case 'data':
      return <>{t('templates.data.invalid')}</>;
    case 'other':
      return <>{t('templates.error.other', { status: error.status })}</>;
  }
}

function TemplateEditor({ templateKey }: { templateKey: string }) {
  const { items } = useListing();
  const listing = items?.find((i) => i.key === templateKey) ?? null;
  const [channel, setChannel] = useState<Channel | null>(null);
  // A Chinese marketer starts on the zh-CN text.
  const [locale, setLocale] = useState<string>(appLocale);
  const [variant, setVariant] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [dataText, setDataText] = useState('{}');
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);
  const [preview, setPreview] = useState<PreviewShape | null>(null);
  const [previewError, setPreviewError] = useState<PreviewError | null>(null);
  const [updating, setUpdating] = useState(false);
  const [newSlot, setNewSlot] = useState(false);
  const [history, setHistory] = useState<VersionShape[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useRef(0);

  // The first channel the key has (e-mail first), once the listing is known.
  useEffect(() => {
    if (listing && channel === null)
      setChannel(CHANNELS.find((c) => listing.channels.includes(c)) ?? 'email');
  }, [listing, channel]);

  const slotVariant = variant.trim() === '' ? null : variant.trim();

  const loadHistory = () =>
    unwrap(
      client.GET('/api/v1/templates/{key}/versions', { params: { path: { key: templateKey } } }),
    )
      .then((r) => setHistory(r.items as VersionShape[]))
      .catch(() => setHistory([]));

  // The text in use for the slot is where editing starts.
  useEffect(() => {
    if (channel === null) return;
    let live = true;
    unwrap(
      client.GET('/api/v1/templates/{key}/source', {
        params: {
          path: { key: templateKey },
          query: { channel, locale, ...(slotVariant ? { variant: slotVariant } : {}) },
        },
      }),
    )
      .then((s) => {
        if (!live) return;
        setSubject(s.subject ?? '');
        setBody(s.body);
        setNewSlot(false);
      })
      .catch(() => {
        if (!live) return;
        setSubject('');
        setBody('');
        setNewSlot(true);
      });
    void loadHistory();
    return () => {
      live = false;
    };
  }, [templateKey, channel, locale, slotVariant]);

  // The live preview: debounced; an answer to an older question is dropped.
  useEffect(() => {
    if (channel === null || body.trim() === '') return;
    let data: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(dataText || '{}');
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
      data = parsed as Record<string, unknown>;
    } catch {
      setPreviewError({ kind: 'data' });
      return;
    }
    const n = ++asked.current;
    setUpdating(true);
    const timer = setTimeout(() => {
      unwrap(
        client.POST('/api/v1/templates/{key}/preview', {
          params: { path: { key: templateKey } },
          body: {
            channel,
            locale,
            ...(slotVariant ? { variant: slotVariant } : {}),
            data,
            ...(customer ? { customerId: customer.id } : {}),
            draft: { subject: channel === 'email' ? subject : null, body },
          },
        }),
      )
        .then((p) => {
          if (n !== asked.current) return;
          setPreview(p as PreviewShape);
          setPreviewError(null);
        })
        .catch((e: unknown) => {
          if (n === asked.current) setPreviewError(errorOf(e));
        })
        .finally(() => {
          if (n === asked.current) setUpdating(false);
        });
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [templateKey, channel, locale, slotVariant, subject, body, dataText, customer]);

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice(await work());
      await loadHistory();
    } catch (e) {
      setNotice(t('templates.actionFailed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const saveDraft = async (): Promise<VersionShape> =>
    (await unwrap(
      client.POST('/api/v1/templates/{key}/drafts', {
        params: { path: { key: templateKey } },
        body: {
          channel: channel!,
          locale,
          variant: slotVariant,
          subject: channel === 'email' && subject.trim() ? subject : null,
          body,
        },
      }),
    )) as VersionShape;
  const publish = (id: string, how: 'publish' | 'rollback') =>
    unwrap(
      how === 'publish'
        ? client.POST('/api/v1/templates/{key}/versions/{id}/publish', {
            params: { path: { key: templateKey, id } },
          })
        : client.POST('/api/v1/templates/{key}/versions/{id}/rollback', {
            params: { path: { key: templateKey, id } },
          }),
    ) as Promise<VersionShape>;

  const slotHistory = history.filter(
    (v) => v.channel === channel && v.locale === locale && v.variant === slotVariant,
  );
  const locales = [
    ...new Set([
      ...LOCALES,
      ...(listing?.versions.map((v) => v.locale) ?? []),
      ...history.map((v) => v.locale),
    ]),
  ];

  return (
    <main class="page templates-page template-editor" data-testid="template-editor">
      <p class="small">
        <a href="#/templates">{t('templates.back')}</a>
      </p>
      <h1>
        <code data-literal>{templateKey}</code>
      </h1>
      <div class="template-slot">
        <label>
          {t('templates.channel')}
          <select
            data-testid="template-channel"
            value={channel ?? ''}
            onChange={(e) => setChannel((e.target as HTMLSelectElement).value as Channel)}
          >
            {CHANNELS.map((c) => (
              <option value={c} key={c}>
                {t(`channel.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('templates.locale')}
          <select
            data-testid="template-locale"
            value={locale}
            onChange={(e) => setLocale((e.target as HTMLSelectElement).value)}
          >
            {locales.map((l) => (
              <option value={l} key={l}>
                {(LOCALES as readonly string[]).includes(l)
                  ? t(`templates.locale.${l}` as MessageKey)
                  : l}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('templates.variant')}
          <input
            data-testid="template-variant"
            value={variant}
            placeholder={t('templates.variant.default')}
            onInput={(e) => setVariant((e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      {newSlot && <p class="muted small">{t('templates.newSlot')}</p>}
      <div class="template-columns">
        <section class="template-form">
          {channel === 'email' && (
            <label>
              {t('templates.subject')}
              <input
                data-testid="template-subject"
                value={subject}
                onInput={(e) => setSubject((e.target as HTMLInputElement).value)}
              />
            </label>
          )}
          <label>
            {t('templates.body')}
            <textarea
              data-testid="template-body"
              rows={10}
              value={body}
              spellcheck={false}
              onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          {previewError && (
            <p class="form-error" role="alert" data-testid="template-error">
              <PreviewErrorText error={previewError} />
            </p>
          )}
          <label>
            {t('templates.data')}
            <textarea
              data-testid="template-data"
              rows={3}
              value={dataText}
              spellcheck={false}
              onInput={(e) => setDataText((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          <CustomerPicker templateKey={templateKey} chosen={customer} onChoose={setCustomer} />
          <div class="template-actions">
            <button
              type="button"
              disabled={busy || !body.trim()}
              data-testid="template-save"
              onClick={() =>
                act(async () => t('templates.saved', { version: (await saveDraft()).version }))
              }
            >
              {t('templates.saveDraft')}
            </button>
            <button
              type="button"
              class="primary"
              disabled={busy || !body.trim() || previewError !== null}
              data-testid="template-publish"
              onClick={() =>
                act(async () => {
                  const draft = await saveDraft();
                  const done = await publish(draft.id, 'publish');
                  return t('templates.published', { version: done.version });
                })
              }
            >
              {t('templates.publish')}
            </button>
            {channel === 'email' && (
              <button
                type="button"
                disabled={busy || !body.trim() || previewError !== null}
                data-testid="template-test-send"
                onClick={() =>
                  act(async () => {
                    const r = await unwrap(
                      client.POST('/api/v1/templates/{key}/test-send', {
                        params: { path: { key: templateKey } },
                        body: {
                          locale,
                          ...(slotVariant ? { variant: slotVariant } : {}),
                          data: JSON.parse(dataText || '{}') as Record<string, unknown>,
                          ...(customer ? { customerId: customer.id } : {}),
                          draft: { subject: subject || null, body },
                        },
                      }),
                    );
                    return t('templates.testSent', { to: r.to });
                  })
                }
              >
                {t('templates.testSend')}
              </button>
            )}
          </div>
          {notice && (
            <p class="small" role="status" data-testid="template-notice">
              {notice}
            </p>
          )}
        </section>
        <section class="template-preview" data-testid="template-preview" aria-busy={updating}>
          <h2>{t('templates.preview')}</h2>
          {updating && <p class="muted small">{t('templates.preview.updating')}</p>}
          {preview && <PreviewPane preview={preview} channel={channel} />}
        </section>
      </div>
      <section class="template-history">
        <h2>{t('templates.history')}</h2>
        {slotHistory.length === 0 && <p class="muted small">{t('templates.history.empty')}</p>}
        <ul>
          {slotHistory.map((v) => (
            <li key={v.id} data-testid="template-version" data-state={v.state}>
              <span>{t('templates.history.version', { version: v.version })}</span>{' '}
              <span class={`badge state-${v.state}`}>
                {t(`templates.state.${v.state}` as MessageKey)}
              </span>{' '}
              <span class="muted small">{fullTime(v.stateChangedAt)}</span>{' '}
              <button
                type="button"
                class="link"
                onClick={() => {
                  setSubject(v.subject ?? '');
                  setBody(v.body);
                }}
              >
                {t('templates.history.load')}
              </button>
              {v.state === 'draft' && (
                <button
                  type="button"
                  class="link"
                  disabled={busy}
                  onClick={() =>
                    act(async () =>
                      t('templates.published', {
                        version: (await publish(v.id, 'publish')).version,
                      }),
                    )
                  }
                >
                  {t('templates.history.publish')}
                </button>
              )}
              {v.state === 'archived' && (
                <button
                  type="button"
                  class="link"
                  disabled={busy}
                  data-testid="template-rollback"
                  onClick={() =>
                    act(async () =>
                      t('templates.rolledBack', {
                        version: (await publish(v.id, 'rollback')).version,
                      }),
                    )
                  }
                >
                  {t('templates.history.rollback')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

function PreviewPane({ preview, channel }: { preview: PreviewShape; channel: Channel | null }) {
  return (
    <>
      {preview.subject !== undefined && (
        <p>
          {t('templates.preview.subject')}{' '}
          <span data-literal data-testid="preview-subject">
            {preview.subject}
          </span>
        </p>
      )}
      {channel === 'email' && preview.html !== undefined && (
        <>
          <h3 class="small">{t('templates.preview.html')}</h3>
          <iframe
            class="template-frame"
            sandbox=""
            title={t('templates.preview.html')}
            srcdoc={emailSrcdoc(preview.html, false)}
          />
          <h3 class="small">{t('templates.preview.text')}</h3>
        </>
      )}
      <pre class="template-text" data-testid="preview-text" data-literal>
        {preview.text}
      </pre>
      {preview.segments && (
        <p class="small" data-testid="sms-counter">
          {t('templates.sms', {
            characters: preview.segments.characters,
            encoding: preview.segments.encoding,
            segments: preview.segments.segments,
            perSegment: preview.segments.perSegment,
          })}
        </p>
      )}
      {channel === 'email' && <p class="muted small">{t('templates.preview.system')}</p>}
    </>
  );
}

function CustomerPicker({
  templateKey,
  chosen,
  onChoose,
}: {
  templateKey: string;
  chosen: { id: string; name: string } | null;
  onChoose: (c: { id: string; name: string } | null) => void;
}) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ id: string; displayName: string }[] | null>(null);
  useEffect(() => {
    const term = q.trim();
    if (term === '') {
      setFound(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      unwrap(
        client.GET('/api/v1/templates/{key}/preview-customers', {
          params: { path: { key: templateKey }, query: { q: term } },
        }),
      )
        .then((r) => live && setFound(r.items))
        .catch(() => live && setFound([]));
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, templateKey]);
  return (
    <div class="template-customer">
      <label>
        {t('templates.customer')}
        <input
          type="search"
          data-testid="template-customer-search"
          value={q}
          placeholder={t('templates.customer.search')}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        />
      </label>
      {found?.length === 0 && <p class="muted small">{t('templates.customer.noMatch')}</p>}
      {found && found.length > 0 && (
        <ul class="template-customer-results">
          {found.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                class="link"
                data-testid="template-customer-option"
                onClick={() => {
                  onChoose({ id: c.id, name: c.displayName });
                  setQ('');
                }}
              >
                {c.displayName}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="small muted" data-testid="template-customer">
        {chosen
          ? t('templates.customer.chosen', { name: chosen.name })
          : t('templates.customer.none')}
        {chosen && (
          <>
            {' '}
            <button type="button" class="link" onClick={() => onChoose(null)}>
              {t('templates.customer.clear')}
            </button>
          </>
        )}
      </p>
    </div>
  );
}
