import type { SpeedToLeadStats } from '../../shared/index';
import { formatDay, formatDuration, formatNumber } from '../format';
import { useCall } from '../hooks/useCall';

/**
 * Speed to lead for Home: the median time to first contact, a weekly bar chart (inline SVG, no
 * chart library) and the median per form, for leads created in the last `days` days. Updates when
 * leads change. Usage: `<SpeedToLeadPanel days={90} />`.
 */
export function SpeedToLeadPanel({ days = 90 }: { days?: number }) {
  // Rounded to the hour so the input (and the query) stays stable between renders.
  const from = Math.floor(Date.now() / 3_600_000) * 3_600_000 - days * 86_400_000;
  // A 90-day median moves little per lead, and at 1,000,000 leads one computation holds main's
  // single thread for ~1 s: while leads stream in, refresh at most every 10 s, not per lead.
  const { data, error } = useCall('speedToLead.stats', { from }, ['lead.updated'], { refreshGapMs: 10_000 });
  return (
    <section className="speed-to-lead" aria-labelledby="speed-to-lead-title" data-testid="speed-to-lead-panel">
      <h2 id="speed-to-lead-title">Speed to lead by week and form</h2>
      {error && <p role="alert">{error}</p>}
      {data && <SpeedToLeadFigure stats={data} />}
      {data && data.perWeek.length > 0 && <SpeedToLeadChart weeks={data.perWeek} />}
      {data && data.perForm.length > 0 && <SpeedToLeadForms forms={data.perForm} />}
    </section>
  );
}

export function SpeedToLeadFigure({ stats }: { stats: SpeedToLeadStats }) {
  const { medianMs, contacted, uncontacted } = stats.overall;
  return (
    <p className="figure">
      <span style={{ fontSize: '2em', fontWeight: 600 }} data-testid="speed-to-lead-panel-median">
        {formatDuration(medianMs)}
      </span>{' '}
      <span className="muted" style={{ color: 'var(--muted, #666)' }}>
        median time to first contact · {formatNumber(contacted)} contacted, {formatNumber(uncontacted)} waiting
      </span>
    </p>
  );
}

/** Median minutes per week; bars are labelled and the same figures are in a table for readers. */
export function SpeedToLeadChart({ weeks }: { weeks: SpeedToLeadStats['perWeek'] }) {
  const shown = weeks.slice(-13);
  const max = Math.max(1, ...shown.map((w) => w.medianMs ?? 0));
  const barW = 28;
  const gap = 8;
  const h = 120;
  const width = shown.length * (barW + gap);
  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-label={`Median time to first contact per week, ${shown.length} weeks`}
        width={width}
        height={h + 20}
        viewBox={`0 0 ${width} ${h + 20}`}
      >
        {shown.map((w, i) => {
          const barH = w.medianMs === null ? 0 : Math.max(2, (w.medianMs / max) * h);
          return (
            <g key={w.week}>
              <title>{`Week of ${formatDay(w.week)}: ${formatDuration(w.medianMs)} (${w.contacted} contacted)`}</title>
              <rect x={i * (barW + gap)} y={h - barH} width={barW} height={barH} rx={3} fill="var(--accent, #2f6fde)" />
              <text x={i * (barW + gap) + barW / 2} y={h + 14} fontSize={10} textAnchor="middle" fill="var(--muted, #666)">
                {formatDay(w.week)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="visually-hidden" style={visuallyHidden}>
        <table>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Median</th>
              <th scope="col">Contacted</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((w) => (
              <tr key={w.week}>
                <td>{formatDay(w.week)}</td>
                <td>{formatDuration(w.medianMs)}</td>
                <td>{w.contacted}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}

export function SpeedToLeadForms({ forms }: { forms: SpeedToLeadStats['perForm'] }) {
  return (
    <table className="speed-per-form">
      <caption style={{ textAlign: 'start' }}>Median per form</caption>
      <thead>
        <tr>
          <th scope="col">Form</th>
          <th scope="col">Median</th>
          <th scope="col">Contacted</th>
          <th scope="col">Waiting</th>
        </tr>
      </thead>
      <tbody>
        {forms.map((f) => (
          <tr key={f.formId ?? 'none'}>
            <td>{f.formName ?? f.formId ?? 'No form'}</td>
            <td>{formatDuration(f.medianMs)}</td>
            <td>{formatNumber(f.contacted)}</td>
            <td>{formatNumber(f.uncontacted)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Time to first contact of one lead, for Lead detail and list rows.
 * Usage: `<SpeedToLeadBadge createdTime={lead.createdTime} firstContactAt={lead.firstContactAt} />`.
 */
export function SpeedToLeadBadge({ createdTime, firstContactAt }: { createdTime: number; firstContactAt: number | null }) {
  if (firstContactAt === null) {
    return (
      <span className="badge" data-testid="speed-to-lead-badge">
        Not contacted yet
      </span>
    );
  }
  return (
    <span className="badge" data-testid="speed-to-lead-badge">
      First contact after {formatDuration(firstContactAt - createdTime)}
    </span>
  );
}

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;
