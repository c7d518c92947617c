// The segment filter editor: tags, tier, attributes, consent, last contact, churn risk.
// Controlled on a FilterDraft (segment-draft.ts); the contacts list and the campaign builder
// turn it into a segment with draftToSegment.
import { t, type MessageKey } from '../../i18n';
import { ChoiceSelect } from './ChoiceSelect';
import {
  ATTRIBUTE_OPS,
  CONSENT_STATES,
  FILTER_CHANNELS,
  FILTER_PURPOSES,
  TIER_NAMES,
  type AttributeRow,
  type ConsentRow,
  type FilterDraft,
} from './segment-draft';

interface Props {
  draft: FilterDraft;
  onChange: (next: FilterDraft) => void;
  /** Prefix of the test ids, when two editors share a page. */
  testId?: string;
}

export function SegmentFilters({ draft, onChange, testId = 'filters' }: Props) {
  const set = (patch: Partial<FilterDraft>) => onChange({ ...draft, ...patch });
  const setAttr = (i: number, patch: Partial<AttributeRow>) =>
    set({ attributes: draft.attributes.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const setConsent = (i: number, patch: Partial<ConsentRow>) =>
    set({ consent: draft.consent.map((c, j) => (j === i ? { ...c, ...patch } : c)) });

  return (
    <div class="segment-filters" data-testid={testId}>
      <label class="filter-field">
        <span>{t('contacts.filter.tags')}</span>
        <input
          type="text"
          value={draft.tags}
          placeholder={t('contacts.filter.tagsHint')}
          onInput={(e) => set({ tags: e.currentTarget.value })}
          data-testid={`${testId}-tags`}
        />
      </label>

      <fieldset class="filter-field">
        <legend>{t('contacts.filter.tier')}</legend>
        <div class="chip-choices">
          {TIER_NAMES.map((tier) => (
            <label class="chip-choice">
              <input
                type="checkbox"
                checked={draft.tiers.includes(tier)}
                onChange={(e) =>
                  set({
                    tiers: e.currentTarget.checked
                      ? [...draft.tiers, tier]
                      : draft.tiers.filter((x) => x !== tier),
                  })
                }
                data-testid={`${testId}-tier-${tier}`}
              />
              {t(`tiers.name.${tier}` as MessageKey)}
            </label>
          ))}
        </div>
      </fieldset>

      <label class="filter-field">
        <span>{t('contacts.filter.churn')}</span>
        <select
          value={draft.churn}
          onChange={(e) => set({ churn: e.currentTarget.value as FilterDraft['churn'] })}
          data-testid={`${testId}-churn`}
        >
          <option value="any">{t('contacts.filter.churn.any')}</option>
          <option value="atRisk">{t('contacts.filter.churn.atRisk')}</option>
          <option value="notAtRisk">{t('contacts.filter.churn.notAtRisk')}</option>
        </select>
      </label>

      <div class="filter-dates">
        <label class="filter-field">
          <span>{t('contacts.filter.lastContactAfter')}</span>
          <input
            type="date"
            value={draft.lastContactAfter}
            onInput={(e) => set({ lastContactAfter: e.currentTarget.value })}
            data-testid={`${testId}-after`}
          />
        </label>
        <label class="filter-field">
          <span>{t('contacts.filter.lastContactBefore')}</span>
          <input
            type="date"
            value={draft.lastContactBefore}
            onInput={(e) => set({ lastContactBefore: e.currentTarget.value })}
            data-testid={`${testId}-before`}
          />
        </label>
      </div>

      <fieldset class="filter-field">
        <legend>{t('contacts.filter.consent')}</legend>
        {draft.consent.map((c, i) => (
          <div class="filter-row" data-testid={`${testId}-consent-row`}>
            <ChoiceSelect
              label={t('contacts.filter.channel')}
              value={c.channel}
              choices={FILTER_CHANNELS}
              labelOf={(ch) => t(`channel.${ch}` as MessageKey)}
              onChange={(channel) => setConsent(i, { channel })}
              testId={`${testId}-consent-channel`}
            />
            <ChoiceSelect
              label={t('contacts.filter.purpose')}
              value={c.purpose}
              choices={FILTER_PURPOSES}
              labelOf={(p) => t(`contacts.purpose.${p}` as MessageKey)}
              onChange={(purpose) => setConsent(i, { purpose })}
              testId={`${testId}-consent-purpose`}
            />
            <ChoiceSelect
              label={t('contacts.filter.consentStatus')}
              value={c.status}
              choices={CONSENT_STATES}
              labelOf={(s) => t(`contacts.consent.${s}` as MessageKey)}
              onChange={(status) => setConsent(i, { status })}
              testId={`${testId}-consent-status`}
            />
            <button
              type="button"
              class="link"
              onClick={() => set({ consent: draft.consent.filter((_, j) => j !== i) })}
              aria-label={t('contacts.filter.remove')}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          class="link"
          onClick={() =>
            set({
              consent: [
                ...draft.consent,
                { channel: 'email', purpose: 'marketing', status: 'granted' },
              ],
            })
          }
          data-testid={`${testId}-consent-add`}
        >
          {t('contacts.filter.addConsent')}
        </button>
      </fieldset>

      <fieldset class="filter-field">
        <legend>{t('contacts.filter.attributes')}</legend>
        {draft.attributes.map((a, i) => (
          <div class="filter-row" data-testid={`${testId}-attr-row`}>
            <input
              type="text"
              aria-label={t('contacts.filter.attrKey')}
              placeholder={t('contacts.filter.attrKey')}
              value={a.key}
              onInput={(e) => setAttr(i, { key: e.currentTarget.value })}
              data-testid={`${testId}-attr-key`}
            />
            <ChoiceSelect
              label={t('contacts.filter.attrOp')}
              value={a.op}
              choices={ATTRIBUTE_OPS}
              labelOf={(op) => t(`contacts.op.${op}` as MessageKey)}
              onChange={(op) => setAttr(i, { op })}
              testId={`${testId}-attr-op`}
            />
            {a.op !== 'exists' && a.op !== 'missing' && (
              <input
                type="text"
                aria-label={t('contacts.filter.attrValue')}
                placeholder={t('contacts.filter.attrValue')}
                value={a.value}
                onInput={(e) => setAttr(i, { value: e.currentTarget.value })}
                data-testid={`${testId}-attr-value`}
              />
            )}
            <button
              type="button"
              class="link"
              onClick={() => set({ attributes: draft.attributes.filter((_, j) => j !== i) })}
              aria-label={t('contacts.filter.remove')}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          class="link"
          onClick={() =>
            set({ attributes: [...draft.attributes, { key: '', op: 'eq', value: '' }] })
          }
          data-testid={`${testId}-attr-add`}
        >
          {t('contacts.filter.addAttribute')}
        </button>
      </fieldset>
    </div>
  );
}
