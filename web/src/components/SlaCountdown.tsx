// The next SLA deadline of a conversation as a countdown badge (amber when near, red when missed).
import { t } from '../i18n';
import { slaBadge } from '../sla-countdown';
import type { Sla } from '../types';
import { useNow } from '../use-now';

export function SlaCountdown({ sla, testId }: { sla: Sla | null | undefined; testId: string }) {
  const now = useNow();
  if (!sla) return null;
  const b = slaBadge(sla, now, t);
  return (
    <span
      class={`badge sla sla-${b.tone}`}
      data-testid={testId}
      data-tone={b.tone}
      title={b.title}
      aria-label={b.title}
    >
      ⏱ {b.text}
    </span>
  );
}
