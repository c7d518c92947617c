import '../crisis.css';
import { useState } from 'preact/hooks';
import { getStoredUser } from '../api';
import { downloadFile } from '../download';
import { count } from '../campaign-format';
import { fullTime } from '../format';
import { reachGrid, reachMoving, useCrisisReach, type ReachCell } from '../hooks/useCrisisReach';
import { t, type MessageKey } from '../i18n';

/** A crisis broadcast's live reach: channels x fallback hops, and the proof-of-notice export. */
export function CrisisReach({
  id,
  legalBasis,
  confirmedAt,
}: {
  id: string;
  legalBasis: string | null;
  confirmedAt: string | null;
}) {
  const { reach, error } = useCrisisReach(id);
  const role = getStoredUser()?.role;
  const mayExport = role === 'admin' || role === 'supervisor';
  return (
    <section class="crisis-reach" data-testid="crisis-reach">
      <h2>{t('crisis.reach.title')}</h2>
      <p class="muted small" data-testid="crisis-facts">
        {legalBasis &&
          t('crisis.basisShown', { basis: t(`crisis.basis.${legalBasis}` as MessageKey) })}
        {confirmedAt && <> · {t('crisis.confirmedBy', { at: fullTime(confirmedAt) })}</>}
      </p>
      {error && (
        <p class="form-error" role="alert">
          {t('crisis.reach.error', { reason: error })}
        </p>
      )}
      {reach && (
        <>
          <p class="small" data-testid="crisis-reach-summary">
            {t('crisis.reach.summary', {
              reached: count(reach.reached),
              sent: count(reach.sent),
              acknowledged: count(reach.acknowledged),
              suppressed: count(reach.suppressed),
            })}
            {reachMoving(reach) && <span class="muted"> · {t('crisis.reach.live')}</span>}
          </p>
          {reach.cells.length === 0 ? (
            <p class="muted">{t('crisis.reach.empty')}</p>
          ) : (
            <Grid reach={reach} />
          )}
        </>
      )}
      {mayExport && <ProofButton id={id} />}
    </section>
  );
}

function hopLabel(hop: number): string {
  return hop === 0 ? t('crisis.reach.hop0') : t('crisis.reach.hopN', { n: hop });
}

function Grid({ reach }: { reach: NonNullable<ReturnType<typeof useCrisisReach>['reach']> }) {
  const { hops, channels, cell } = reachGrid(reach);
  return (
    <div class="reach-scroll">
      <table class="reach-grid" data-testid="crisis-reach-grid">
        <thead>
          <tr>
            <th scope="col">{t('crisis.reach.channel')}</th>
            {hops.map((h) => (
              <th scope="col" data-hop={h}>
                {hopLabel(h)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {channels.map((ch) => (
            <tr data-channel={ch}>
              <th scope="row">{t(`channel.${ch}` as MessageKey)}</th>
              {hops.map((h) => (
                <Cell c={cell(ch, h)} hop={h} />
              ))}
            </tr>
          ))}
          <tr data-channel="total">
            <th scope="row">{t('crisis.reach.total')}</th>
            {reach.byHop.map((h) => (
              <Cell c={{ ...h, channel: 'total' }} hop={h.hop} />
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function Cell({ c, hop }: { c: ReachCell | undefined; hop: number }) {
  if (!c) return <td class="empty" data-hop={hop} />;
  return (
    <td data-hop={hop} data-testid={`reach-${c.channel}-${hop}`}>
      <div>
        {t('crisis.reach.cell', { delivered: count(c.delivered), attempted: count(c.attempted) })}
      </div>
      <div class={`detail${c.failed > 0 ? ' failed' : ''}`}>
        {t('crisis.reach.cellDetail', {
          read: count(c.read),
          failed: count(c.failed),
          pending: count(c.pending),
        })}
      </div>
      {c.notSent > 0 && <div class="detail">{t('crisis.reach.notSent', { n: c.notSent })}</div>}
    </td>
  );
}

/** The proof-of-notice CSV, fetched with the bearer token (a plain link could not send it). */
function ProofButton({ id }: { id: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadFile(
        `/api/v1/campaigns/${encodeURIComponent(id)}/proof-of-notice.csv`,
        `proof-of-notice-${id}.csv`,
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="crisis-proof">
      <button type="button" onClick={run} disabled={busy} data-testid="crisis-proof">
        {t('crisis.proof')}
      </button>
      <span class="muted small">{t('crisis.proofHint')}</span>
      {error && (
        <span class="form-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
