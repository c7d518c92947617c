// The builder's A/B split: two to ten templates, each with a weight and its share of recipients.
import { percent } from '../../campaign-format';
import { shares, type VariantRow } from '../../builder-form';
import type { TemplateListing } from '../../hooks/useBuilderLists';
import { t } from '../../i18n';
import { TemplatePick } from './BuilderTemplate';

const MAX = 10;

export function BuilderVariants({
  templates,
  rows,
  onChange,
}: {
  templates: TemplateListing[] | null;
  rows: VariantRow[];
  onChange: (rows: VariantRow[]) => void;
}) {
  const split = shares(rows);
  const set = (i: number, change: Partial<VariantRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <div class="builder-variants" data-testid="builder-variants">
      {rows.map((row, i) => (
        <div class="builder-variant" data-testid="builder-variant">
          <strong>{t('builder.ab.variant', { letter: String.fromCharCode(65 + i) })}</strong>
          <TemplatePick
            templates={templates}
            value={row.template}
            onChange={(template) => set(i, { template })}
            testId={`variant-template-${i}`}
          />
          <label class="builder-weight">
            {t('builder.ab.weight')}
            <input
              type="number"
              min={1}
              max={1000}
              value={row.weight}
              data-testid={`variant-weight-${i}`}
              onInput={(e) => set(i, { weight: Number((e.target as HTMLInputElement).value) })}
            />
          </label>
          <span class="muted small">{t('builder.ab.share', { share: percent(split[i]) })}</span>
          {rows.length > 2 && (
            <button
              type="button"
              class="link"
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
            >
              {t('builder.ab.remove')}
            </button>
          )}
        </div>
      ))}
      {rows.length < MAX && (
        <button
          type="button"
          data-testid="variant-add"
          onClick={() => onChange([...rows, { template: '', weight: 50 }])}
        >
          {t('builder.ab.add')}
        </button>
      )}
    </div>
  );
}
