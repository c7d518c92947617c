// Hand-drawn SVG charts for the reports page: a vertical bar chart and a line chart, no chart library.
/** A bar's value is null where there is nothing to measure (no replies yet on a channel, say). */
import { axisTicks, niceMax } from '../chart-axis';

export type Datum = { label: string; value: number | null };

const W = 360;
const H = 180;
const PAD = { top: 16, right: 12, bottom: 28, left: 40 };

const known = (values: Array<number | null>) => values.filter((v): v is number => v !== null);

function Axis({ max, format }: { max: number; format: (v: number) => string }) {
  const innerH = H - PAD.top - PAD.bottom;
  return (
    <g class="chart-axis">
      {axisTicks(max, format).map(([f, label]) => {
        const y = PAD.top + innerH * (1 - f);
        return (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} stroke="#ddd" />
            <text x={PAD.left - 4} y={y + 4} text-anchor="end" font-size="10" fill="#666">
              {label}
            </text>
          </g>
        );
      })}
    </g>
  );
}

export function BarChart({
  data,
  format,
  color = '#3b6ea5',
  title,
}: {
  data: Datum[];
  format: (v: number) => string;
  color?: string;
  title: string;
}) {
  const max = niceMax(known(data.map((d) => d.value)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = data.length ? innerW / data.length : innerW;
  const barW = Math.max(4, slot * 0.6);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title}>
      <title>{title}</title>
      <Axis max={max} format={format} />
      {data.map((d, i) => {
        const x = PAD.left + slot * i + (slot - barW) / 2;
        const h = d.value === null ? 0 : (Math.max(0, d.value) / max) * innerH;
        return (
          <g key={d.label}>
            {d.value === null ? (
              <g class="chart-no-data">
                <title>{`${d.label}: no data yet`}</title>
                <text
                  x={x + barW / 2}
                  y={PAD.top + innerH - 4}
                  text-anchor="middle"
                  font-size="10"
                  fill="#999"
                >
                  n/a
                </text>
              </g>
            ) : (
              <rect x={x} y={PAD.top + innerH - h} width={barW} height={h} fill={color}>
                <title>{`${d.label}: ${format(d.value)}`}</title>
              </rect>
            )}
            <text
              x={x + barW / 2}
              y={H - PAD.bottom + 14}
              text-anchor="middle"
              font-size="10"
              fill="#333"
            >
              {d.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function LineChart({
  data,
  format,
  max: fixedMax,
  title,
}: {
  data: Array<{ label: string; value: number }>;
  format: (v: number) => string;
  max?: number;
  title: string;
}) {
  const max = fixedMax ?? niceMax(data.map((d) => d.value));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left + (data.length > 1 ? (innerW * i) / (data.length - 1) : innerW / 2);
  const y = (v: number) => PAD.top + innerH * (1 - Math.min(v, max) / max);
  const points = data.map((d, i) => `${x(i)},${y(d.value)}`).join(' ');
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title}>
      <title>{title}</title>
      <Axis max={max} format={format} />
      {data.length > 1 && (
        <polyline points={points} fill="none" stroke="#2f8f5b" stroke-width="2" />
      )}
      {data.map((d, i) => (
        <g key={d.label}>
          <circle cx={x(i)} cy={y(d.value)} r="3" fill="#2f8f5b">
            <title>{`${d.label}: ${format(d.value)}`}</title>
          </circle>
          <text x={x(i)} y={H - PAD.bottom + 14} text-anchor="middle" font-size="9" fill="#333">
            {d.label.slice(5)}
          </text>
        </g>
      ))}
    </svg>
  );
}
