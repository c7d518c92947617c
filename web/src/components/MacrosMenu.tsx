import { useEffect, useState } from 'preact/hooks';
import { client, unwrap } from '../api/client';
import type { AnswerOf } from '../api/answers';
import { t } from '../i18n';

type Macro = AnswerOf<'/api/v1/macros', 'get'>['items'][number];

/** The conversation's Macros menu: shared macros and the agent's own, run with one click. */
export function MacrosMenu({ conversationId }: { conversationId: string }) {
  const [open, setOpen] = useState(false);
  const [macros, setMacros] = useState<Macro[] | null>(null);
  const [result, setResult] = useState<string | null>(null);
  useEffect(() => {
    if (!open || macros) return;
    unwrap(client.GET('/api/v1/macros'))
      .then((r) => setMacros(r.items))
      .catch(() => setMacros([]));
  }, [open, macros]);
  const runMacro = async (m: Macro) => {
    setOpen(false);
    try {
      const r = await unwrap(
        client.POST('/api/v1/conversations/{id}/macros/{macroId}', {
          params: { path: { id: conversationId, macroId: m.id } },
        }),
      );
      const ok = r.results.filter((x) => x.ok).length;
      setResult(t('macros.ran', { name: m.name, ok, total: r.results.length }));
    } catch (e) {
      setResult(t('macros.failed', { name: m.name, error: (e as Error).message }));
    }
  };
  return (
    <div class="menu">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="macros"
      >
        {t('macros.menu')}
      </button>
      {open && (
        <div class="menu-panel" role="menu" data-testid="macros-menu">
          {macros?.length === 0 && <span class="muted small">{t('macros.none')}</span>}
          {macros?.map((m) => (
            <button
              type="button"
              role="menuitem"
              data-testid="macro-item"
              onClick={() => void runMacro(m)}
            >
              {m.name}
              {m.shared && <span class="muted small"> · {t('macros.shared')}</span>}
            </button>
          ))}
        </div>
      )}
      {result && (
        <span class="muted small" role="status" data-testid="macro-result">
          {result}
        </span>
      )}
    </div>
  );
}
