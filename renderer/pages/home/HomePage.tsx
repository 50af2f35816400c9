import { useState } from 'react';
import { formatDuration, formatNumber } from '../../format';
import { useCall } from '../../hooks/useCall';
import { BarChart } from './BarChart';
import { ConnectionCard } from './ConnectionCard';
import { SpeedToLeadPanel } from '../../components/SpeedToLead';

export function HomePage() {
  const [days, setDays] = useState<30 | 90>(30);
  const [groupBy, setGroupBy] = useState<'form' | 'page'>('form');
  const stats = useCall(
    'home.stats',
    { days, groupBy, utcOffsetMinutes: -new Date().getTimezoneOffset() },
    ['lead.received', 'lead.updated', 'sync.progress', 'threads.unreadChanged'],
  );
  const s = stats.data;
  const totalInPeriod = s ? s.series.reduce((n, x) => n + x.counts.reduce((a, b) => a + b, 0), 0) : 0;
  return (
    <section className="page home" aria-labelledby="home-title">
      <h1 id="home-title">Home</h1>
      {stats.error && <p role="alert" className="error">{stats.error}</p>}
      <div className="cards">
        <a className="card" href="#/leads" data-testid="stat-today">
          <span className="figure">{s ? formatNumber(s.newToday) : '…'}</span> new today
        </a>
        <a className="card" href="#/leads">
          <span className="figure">{s ? formatNumber(s.newThisWeek) : '…'}</span> in the last 7 days
        </a>
        <a className="card" href="#/leads" data-testid="stat-uncontacted">
          <span className="figure">{s ? formatNumber(s.uncontacted) : '…'}</span> not contacted yet
        </a>
        <a className="card" href="#/threads">
          <span className="figure">{s?.unreadThreads == null ? '—' : formatNumber(s.unreadThreads)}</span> unread conversations
        </a>
        <div className="card">
          <span className="figure" data-testid="speed-to-lead">{s ? formatDuration(s.speedToLead.medianMs) : '…'}</span> median time to first contact
          {s && <span className="muted"> ({formatNumber(s.speedToLead.contacted)} contacted)</span>}
        </div>
      </div>
      <div className="chart-controls" role="group" aria-label="Chart options">
        <label>
          Period
          <select value={days} onChange={(e) => setDays(Number(e.target.value) as 30 | 90)}>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </label>
        <label>
          Group by
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as 'form' | 'page')}>
            <option value="form">Form</option>
            <option value="page">Page</option>
          </select>
        </label>
      </div>
      {s && (
        <>
          <BarChart
            id="leads-per-day"
            title="Leads per day"
            summary={`${formatNumber(totalInPeriod)} leads in the last ${days} days`}
            days={s.days}
            series={s.series.map((x) => ({ key: x.key, label: x.label, values: x.counts }))}
          />
          <BarChart
            id="speed-per-day"
            title="Speed to lead"
            summary={`median time from lead to first contact, per day${s.speedToLead.medianMs === null ? ' (no contacted leads yet)' : ''}`}
            days={s.days}
            series={[{ key: 'speed', label: 'Median minutes', values: s.speedToLead.perDay.map((v) => (v === null ? null : Math.round(v / 60000))) }]}
            format={(n) => formatDuration(n * 60000)}
          />
        </>
      )}
      <SpeedToLeadPanel days={days} />
      {s && totalInPeriod === 0 && <p className="empty">No leads in this period yet. They appear here the moment they arrive.</p>}
      <ConnectionCard />
    </section>
  );
}
