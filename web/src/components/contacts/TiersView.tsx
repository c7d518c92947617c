// Tiers and churn as lists to act on: per tier its at-risk customers with the channel routing
// would pick now, and one click to save them as a segment and open it in the list.
import { useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { t, type MessageKey } from '../../i18n';
import { useAtRisk, useTierCounts, type AtRiskRow } from '../../hooks/useAtRisk';
import { useSavedSegments } from '../../hooks/useSavedSegments';
import { navigate } from '../../router';
import { TIER_NAMES, type TierName } from './segment-draft';

export function TiersView() {
  const counts = useTierCounts();
  return (
    <div class="tiers-view" data-testid="tiers-view">
      <p class="muted">{t('tiers.intro')}</p>
      {TIER_NAMES.map((tier) => (
        <TierSection tier={tier} counts={counts?.find((c) => c.tier === tier) ?? null} />
      ))}
    </div>
  );
}

function TierSection({
  tier,
  counts,
}: {
  tier: TierName;
  counts: { customers: number; churnRisk: number } | null;
}) {
  const { rows, error, hasMore, loadMore } = useAtRisk(tier);
  const saved = useSavedSegments();
  const [busy, setBusy] = useState(false);
  const [makeError, setMakeError] = useState<string | null>(null);

  const makeSegment = async () => {
    setBusy(true);
    const base = t('tiers.segmentName', {
      tier: t(`tiers.name.${tier}` as MessageKey),
      date: new Date().toISOString().slice(0, 10),
    });
    try {
      for (let n = 1; n <= 20; n++) {
        try {
          const s = await saved.create(n === 1 ? base : `${base} (${n})`, {
            tier,
            rfm: { churnRisk: true },
          });
          navigate(`#/contacts?segment=${encodeURIComponent(s.id)}`);
          return;
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 409)) throw e;
        }
      }
    } catch (e) {
      setMakeError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="tier-section" data-testid={`tier-${tier}`}>
      <div class="tier-head">
        <h2>{t(`tiers.name.${tier}` as MessageKey)}</h2>
        {counts && (
          <span class="muted small" data-testid="tier-counts">
            {t('tiers.counts', { customers: counts.customers, atRisk: counts.churnRisk })}
          </span>
        )}
        <button
          type="button"
          class="primary"
          disabled={busy || rows?.length === 0}
          onClick={() => void makeSegment()}
          data-testid="tier-make-segment"
        >
          {t('tiers.makeSegment')}
        </button>
      </div>
      {(error || makeError) && (
        <p class="form-error" role="alert">
          {error ?? makeError}
        </p>
      )}
      {rows === null && !error && <p class="muted small">{t('tiers.loading')}</p>}
      {rows?.length === 0 && <p class="muted small">{t('tiers.noneAtRisk')}</p>}
      {rows && rows.length > 0 && (
        <ul class="at-risk-rows">
          {rows.map((r) => (
            <AtRiskItem r={r} />
          ))}
        </ul>
      )}
      {hasMore && (
        <button type="button" class="link" onClick={() => void loadMore()}>
          {t('contacts.loadMore')}
        </button>
      )}
    </section>
  );
}

function AtRiskItem({ r }: { r: AtRiskRow }) {
  const s = r.suggestion;
  return (
    <li class="at-risk-row" data-testid="at-risk-row" data-id={r.id}>
      <a href={`#/contacts/${encodeURIComponent(r.id)}`} data-literal>
        {r.name}
      </a>
      {s.ok ? (
        <span class="suggested" title={s.reasons.join('\n')} data-testid="suggested-channel">
          {t('tiers.suggested', { channel: t(`channel.${s.channel}` as MessageKey) })}
          {s.delayed && ` · ${t('tiers.delayed')}`}
        </span>
      ) : (
        <span class="muted suggested" title={s.reasons.join('\n')} data-testid="suggested-none">
          {t(`tiers.suppressed.${s.suppression}` as MessageKey)}
        </span>
      )}
    </li>
  );
}
