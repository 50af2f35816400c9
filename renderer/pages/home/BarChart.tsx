import { formatDay, formatNumber } from '../../format';

export interface ChartSeries {
  key: string;
  label: string;
  values: (number | null)[];
}

const palette = ['var(--c1)', 'var(--c2)', 'var(--c3)', 'var(--c4)', 'var(--c5)', 'var(--c6)'];

/**
 * Stacked daily bars as inline SVG (no chart library, nothing loaded at run time). Screen readers
 * get the title/summary and a data table with the same numbers; the SVG itself is decorative.
 */
export function BarChart({
  id,
  title,
  summary,
  days,
  series,
  format = formatNumber,
}: {
  id: string;
  title: string;
  summary: string;
  days: string[];
  series: ChartSeries[];
  format?: (n: number) => string;
}) {
  const width = 1000;
  const height = 150;
  const totals = days.map((_, i) => series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const barW = width / Math.max(days.length, 1);
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>
        <strong>{title}</strong> <span className="muted">{summary}</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height + 18}`} aria-hidden="true" focusable="false">
        {days.map((day, i) => {
          let y = height;
          return (
            <g key={day}>
              {series.map((s, si) => {
                const v = s.values[i] ?? 0;
                const h = (v / max) * (height - 4);
                y -= h;
                return v > 0 ? <rect key={s.key} x={i * barW + 1} y={y} width={Math.max(barW - 2, 1)} height={h} fill={palette[si % palette.length]} /> : null;
              })}
              {/* A label every 7 days counted back from today, so the newest day is always named. */}
              {(days.length - 1 - i) % 7 === 0 && (
                <text x={i * barW + barW / 2} y={height + 14} textAnchor={i === days.length - 1 ? 'end' : 'middle'} className="axis">
                  {formatDay(day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {series.length > 1 && (
        <ul className="legend">
          {series.map((s, si) => (
            <li key={s.key}>
              <span className="swatch" data-color={si % palette.length} aria-hidden="true" /> {s.label}
            </li>
          ))}
        </ul>
      )}
      <details className="chart-data">
        <summary>Show the numbers</summary>
        <table>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th scope="col" key={s.key}>{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((day, i) => (
              <tr key={day}>
                <th scope="row">{formatDay(day)}</th>
                {series.map((s) => (
                  <td key={s.key}>{s.values[i] == null ? '—' : format(s.values[i]!)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
