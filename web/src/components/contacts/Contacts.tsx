// The marketers' contacts: a filtered, searchable customer list saved as segments, exported as
// CSV; or the tiers view of at-risk customers (#/contacts?view=tiers).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import '../../contacts.css';
import { downloadFile } from '../../download';
import { t } from '../../i18n';
import { useContacts } from '../../hooks/useContacts';
import { useSavedSegments, type SavedSegment } from '../../hooks/useSavedSegments';
import { navigate } from '../../router';
import { ContactRows } from './ContactRows';
import { SavedSegmentsBar } from './SavedSegmentsBar';
import { SegmentFilters } from './SegmentFilters';
import { draftToSegment, EMPTY_DRAFT, filterCount, segmentToDraft } from './segment-draft';
import { TiersView } from './TiersView';

export function Contacts({
  view,
  segmentId,
}: {
  view: 'list' | 'tiers';
  segmentId: string | null;
}) {
  return (
    <main class="page contacts-page" data-testid="contacts-page">
      <div class="contacts-head">
        <h1>{t('contacts.title')}</h1>
        <nav class="contacts-tabs">
          <a
            href="#/contacts"
            class={view === 'list' ? 'active' : ''}
            data-testid="contacts-tab-list"
          >
            {t('contacts.tab.list')}
          </a>
          <a
            href="#/contacts?view=tiers"
            class={view === 'tiers' ? 'active' : ''}
            data-testid="contacts-tab-tiers"
          >
            {t('contacts.tab.tiers')}
          </a>
        </nav>
        <a class="button" href="#/contacts/import" data-testid="contacts-import">
          {t('contacts.import')}
        </a>
      </div>
      {view === 'tiers' ? <TiersView /> : <ContactList segmentId={segmentId} />}
    </main>
  );
}

function ContactList({ segmentId }: { segmentId: string | null }) {
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const [q, setQ] = useState('');
  const [pickedId, setPickedId] = useState<string | null>(segmentId);
  const saved = useSavedSegments();
  const segment = useMemo(() => draftToSegment(draft), [draft]);
  const { rows, count, hasMore, loadMore, loading, error } = useContacts(segment, q);
  const [exportError, setExportError] = useState<string | null>(null);

  // The saved segment whose filters the form was last loaded from.
  const loadedFor = useRef<string | null>(null);
  const pick = (s: SavedSegment | null) => {
    loadedFor.current = s?.id ?? null;
    setPickedId(s?.id ?? null);
    if (s) setDraft(segmentToDraft(s.definition));
    navigate(s ? `#/contacts?segment=${encodeURIComponent(s.id)}` : '#/contacts');
  };
  // A segment named in the address (the tiers view's "Make segment") opens once the list is in.
  useEffect(() => {
    if (!segmentId || loadedFor.current === segmentId) return;
    const s = saved.items?.find((x) => x.id === segmentId);
    if (s) pick(s);
  }, [segmentId, saved.items]);

  const exportCsv = async () => {
    const params = new URLSearchParams({ segment: JSON.stringify(segment) });
    if (q.trim()) params.set('q', q.trim());
    try {
      await downloadFile(`/api/v1/contacts.csv?${params.toString()}`, 'contacts.csv');
      setExportError(null);
    } catch (e) {
      setExportError(e instanceof Error ? e.message : String(e));
    }
  };
  const filters = filterCount(segment);

  return (
    <div class="contacts-layout">
      <aside class="contacts-filters">
        <SavedSegmentsBar saved={saved} selectedId={pickedId} onPick={pick} current={segment} />
        <details class="filters-box" open={filters > 0 || undefined}>
          <summary data-testid="filters-toggle">
            {filters > 0 ? t('contacts.filtersSet', { n: filters }) : t('contacts.filters')}
          </summary>
          <SegmentFilters draft={draft} onChange={setDraft} />
          {filters > 0 && (
            <button type="button" class="link" onClick={() => setDraft(EMPTY_DRAFT)}>
              {t('contacts.clearFilters')}
            </button>
          )}
        </details>
      </aside>
      <section class="contacts-main">
        <div class="contacts-toolbar">
          <input
            type="search"
            class="contacts-search"
            value={q}
            placeholder={t('contacts.searchPlaceholder')}
            aria-label={t('contacts.searchPlaceholder')}
            onInput={(e) => setQ(e.currentTarget.value)}
            data-testid="contacts-search"
          />
          <button type="button" onClick={() => void exportCsv()} data-testid="contacts-export">
            {t('contacts.export')}
          </button>
        </div>
        <p class="contacts-count" aria-live="polite" data-testid="contacts-count">
          {count === null
            ? t('contacts.counting')
            : count.capped
              ? t('contacts.countCapped', { n: count.total.toLocaleString() })
              : count.total === 1
                ? t('contacts.countOne')
                : t('contacts.count', { n: count.total.toLocaleString() })}
        </p>
        {(error || exportError) && (
          <p class="form-error" role="alert">
            {error ?? exportError}
          </p>
        )}
        {rows && rows.length === 0 && !loading && (
          <p class="empty-state" data-testid="contacts-empty">
            {t('contacts.empty')}
          </p>
        )}
        {rows && rows.length > 0 && <ContactRows rows={rows} />}
        {hasMore && (
          <button
            type="button"
            class="load-more"
            disabled={loading}
            onClick={() => void loadMore()}
            data-testid="contacts-more"
          >
            {t('contacts.loadMore')}
          </button>
        )}
      </section>
    </div>
  );
}
