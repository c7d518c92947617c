import '../crisis.css';
import { useState } from 'preact/hooks';
import { getStoredUser } from '../api';
import { count } from '../campaign-format';
import {
  createCrisis,
  dropDraft,
  launchCrisis,
  LEGAL_BASES,
  segmentOf,
  TIERS,
  useSegmentCount,
  type CrisisBody,
  type CrisisCampaign,
} from '../hooks/useCrisisDraft';
import { t, type MessageKey } from '../i18n';
import { navigate } from '../router';
import { CrisisConfirm } from './CrisisConfirm';

type Basis = (typeof LEGAL_BASES)[number];

/**
 * A crisis broadcast in two steps: compose (group with its live count, template, legal basis,
 * message), then confirm (the reach and basis shown; the name typed again) and send; the
 * broadcast's page then shows its live reach and the proof-of-notice export.
 */
export function CrisisBroadcast() {
  const role = getStoredUser()?.role;
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [tier, setTier] = useState('');
  const [template, setTemplate] = useState('service-alert');
  const [purpose, setPurpose] = useState<'service' | 'transactional'>('service');
  const [basis, setBasis] = useState<Basis>('vital_interest');
  const [title, setTitle] = useState('');
  const [message, setMessage] = useState('');
  const [link, setLink] = useState('');
  const [draft, setDraft] = useState<CrisisCampaign | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const segment = segmentOf(tags, tier);
  const audience = useSegmentCount(segment);

  if (role !== 'admin' && role !== 'supervisor')
    return (
      <main class="page crisis-page" data-testid="crisis-page">
        <h1>{t('crisis.title')}</h1>
        <p class="form-error">{t('crisis.forbidden')}</p>
      </main>
    );

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const review = (e: Event) => {
    e.preventDefault();
    const body: CrisisBody = {
      name: name.trim(),
      segment,
      template: template.trim(),
      purpose,
      legalBasis: basis,
      topic: 'crisis',
      data: { alert: { title, summary: message, statusUrl: link } },
    };
    void run(async () => {
      setDraft(await createCrisis(body));
    });
  };

  const back = () => {
    const id = draft?.id;
    setDraft(null);
    if (id) void dropDraft(id).catch(() => undefined);
  };

  const send = (typed: string) => {
    if (!draft) return;
    void run(async () => {
      await launchCrisis(draft.id, typed);
      navigate(`#/campaigns/${encodeURIComponent(draft.id)}`);
    });
  };

  return (
    <main class="page crisis-page" data-testid="crisis-page">
      <a href="#/campaigns" class="back-link">
        ← {t('campaign.back')}
      </a>
      <h1>{t('crisis.title')}</h1>
      <p class="muted">{t('crisis.intro')}</p>
      <div class="crisis-steps">
        <span class={draft ? '' : 'current'}>{t('crisis.step.compose')}</span>
        <span class={draft ? 'current' : ''}>{t('crisis.step.confirm')}</span>
      </div>
      {error && (
        <p class="form-error" role="alert" data-testid="crisis-error">
          {error}
        </p>
      )}
      {!draft ? (
        <form class="crisis-form" onSubmit={review} data-testid="crisis-compose">
          <label class="full">
            {t('crisis.name')}
            <input
              required
              maxLength={200}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              data-testid="crisis-name"
            />
          </label>
          <label>
            {t('crisis.tags')}
            <input
              value={tags}
              onInput={(e) => setTags(e.currentTarget.value)}
              data-testid="crisis-tags"
            />
          </label>
          <label>
            {t('crisis.tier')}
            <select value={tier} onChange={(e) => setTier(e.currentTarget.value)}>
              <option value="">{t('crisis.tier.any')}</option>
              {TIERS.map((x) => (
                <option value={x}>{t(`crisis.tier.${x}` as MessageKey)}</option>
              ))}
            </select>
          </label>
          <p class="full small" data-testid="crisis-count" aria-live="polite">
            {audience === null
              ? t('crisis.counting')
              : t('crisis.count', { count: count(audience) })}
          </p>
          <label>
            {t('crisis.template')}
            <input
              required
              value={template}
              onInput={(e) => setTemplate(e.currentTarget.value)}
              data-testid="crisis-template"
            />
          </label>
          <label>
            {t('crisis.purpose')}
            <select
              value={purpose}
              onChange={(e) => setPurpose(e.currentTarget.value as 'service' | 'transactional')}
            >
              <option value="service">{t('crisis.purpose.service')}</option>
              <option value="transactional">{t('crisis.purpose.transactional')}</option>
            </select>
          </label>
          <label class="full">
            {t('crisis.basis')}
            <select
              value={basis}
              onChange={(e) => setBasis(e.currentTarget.value as Basis)}
              data-testid="crisis-basis"
            >
              {LEGAL_BASES.map((b) => (
                <option value={b}>{t(`crisis.basis.${b}` as MessageKey)}</option>
              ))}
            </select>
            <span class="muted small">{t('crisis.basisHint')}</span>
          </label>
          <label class="full">
            {t('crisis.alertTitle')}
            <input
              required
              value={title}
              onInput={(e) => setTitle(e.currentTarget.value)}
              data-testid="crisis-alert-title"
            />
          </label>
          <label class="full">
            {t('crisis.message')}
            <textarea
              required
              rows={3}
              value={message}
              onInput={(e) => setMessage(e.currentTarget.value)}
              data-testid="crisis-message"
            />
          </label>
          <label class="full">
            {t('crisis.link')}
            <input
              type="url"
              value={link}
              onInput={(e) => setLink(e.currentTarget.value)}
              data-testid="crisis-link"
            />
          </label>
          <div class="crisis-actions full">
            <button type="submit" disabled={busy || !name.trim()} data-testid="crisis-review">
              {busy ? t('crisis.creating') : t('crisis.review')}
            </button>
          </div>
        </form>
      ) : (
        <CrisisConfirm draft={draft} audience={audience} busy={busy} onBack={back} onSend={send} />
      )}
    </main>
  );
}
