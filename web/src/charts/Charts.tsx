// The reports' charts, drawn by ECharts: a bar chart per category and a line chart over time.
import { useMemo } from 'preact/hooks';
import { t } from '../i18n';
import type { EChartsCoreOption } from './echarts';
import { useEChart } from './use-echart';

/** A bar's value is null where there is nothing to measure (no replies yet on a channel, say). */
export type Datum = { label: string; value: number | null };

const AXIS_LABEL = { color: '#6b7280', fontSize: 11 };

function Chart({
  option,
  title,
  testId,
}: {
  option: EChartsCoreOption;
  title: string;
  testId?: string;
}) {
  const ref = useEChart<HTMLDivElement>(option);
  return <div ref={ref} class="chart" role="img" aria-label={title} data-testid={testId} />;
}

export function BarChart({
  data,
  format,
  color = '#3b6ea5',
  title,
  max,
  integer = false,
  testId,
}: {
  data: Datum[];
  format: (v: number) => string;
  color?: string;
  title: string;
  max?: number;
  /** Counts: ticks on whole numbers only. */
  integer?: boolean;
  testId?: string;
}) {
  const option = useMemo<EChartsCoreOption>(
    () => ({
      aria: { enabled: true, label: { description: title } },
      grid: { left: 8, right: 12, top: 16, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number | null }) =>
          `${p.name}: ${p.value === null ? t('reports.noData') : format(p.value)}`,
      },
      xAxis: {
        type: 'category',
        data: data.map((d) => d.label),
        axisLabel: { ...AXIS_LABEL, interval: 0, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        max,
        minInterval: integer ? 1 : undefined,
        axisLabel: { ...AXIS_LABEL, formatter: (v: number) => format(v) },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 36,
          itemStyle: { color },
          // A missing value says so above the axis instead of drawing a bar that reads zero.
          data: data.map((d) =>
            d.value === null
              ? {
                  value: 0,
                  label: {
                    show: true,
                    position: 'insideBottom',
                    formatter: t('reports.na'),
                    color: '#999',
                  },
                }
              : d.value,
          ),
        },
      ],
    }),
    [data, format, color, title, max, integer],
  );
  return <Chart option={option} title={title} testId={testId} />;
}

export function LineChart({
  data,
  format,
  max,
  title,
  testId,
}: {
  data: Array<{ label: string; value: number }>;
  format: (v: number) => string;
  max?: number;
  title: string;
  testId?: string;
}) {
  const option = useMemo<EChartsCoreOption>(
    () => ({
      aria: { enabled: true, label: { description: title } },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => format(v) },
      xAxis: { type: 'category', data: data.map((d) => d.label), axisLabel: AXIS_LABEL },
      yAxis: {
        type: 'value',
        min: 0,
        max,
        axisLabel: { ...AXIS_LABEL, formatter: (v: number) => format(v) },
      },
      series: [
        {
          type: 'line',
          data: data.map((d) => d.value),
          symbolSize: 7,
          itemStyle: { color: '#2f8f5b' },
          lineStyle: { color: '#2f8f5b', width: 2 },
        },
      ],
    }),
    [data, format, max, title],
  );
  return <Chart option={option} title={title} testId={testId} />;
}

const SERIES_COLORS = ['#3b6ea5', '#2f8f5b', '#c07a1a', '#8a4fb0'];

/** Several measures side by side per category (e.g. each channel's rates), with a legend. */
export function GroupedBarChart({
  categories,
  series,
  format,
  max,
  title,
  integer = false,
  testId,
}: {
  categories: string[];
  series: Array<{ name: string; values: number[] }>;
  format: (v: number) => string;
  max?: number;
  title: string;
  /** Counts: ticks on whole numbers only. */
  integer?: boolean;
  testId?: string;
}) {
  const option = useMemo<EChartsCoreOption>(
    () => ({
      aria: { enabled: true, label: { description: title } },
      legend: { top: 0, textStyle: AXIS_LABEL },
      grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => format(v) },
      xAxis: { type: 'category', data: categories, axisLabel: { ...AXIS_LABEL, interval: 0 } },
      yAxis: {
        type: 'value',
        min: 0,
        max,
        minInterval: integer ? 1 : undefined,
        axisLabel: { ...AXIS_LABEL, formatter: (v: number) => format(v) },
      },
      series: series.map((s, i) => ({
        type: 'bar',
        name: s.name,
        barMaxWidth: 24,
        itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length] },
        data: s.values,
      })),
    }),
    [categories, series, format, max, title, integer],
  );
  return <Chart option={option} title={title} testId={testId} />;
}
