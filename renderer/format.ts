/** Dates and numbers in the owner's locale (the browser's / OS's), never a hard-coded format. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dayShort = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const number = new Intl.NumberFormat();
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const formatDateTime = (ms: number | null | undefined) => (ms == null ? '—' : dateTime.format(ms));
export const formatDate = (ms: number | null | undefined) => (ms == null ? '—' : dateOnly.format(ms));
/** A YYYY-MM-DD calendar day from Home stats (already the owner's day). */
export const formatDay = (day: string) => dayShort.format(new Date(`${day}T00:00:00Z`));
export const formatNumber = (n: number) => number.format(n);

export function formatAgo(ms: number | null | undefined, now = Date.now()): string {
  if (ms == null) return '—';
  const s = Math.round((ms - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 60) return relative.format(s, 'second');
  if (abs < 3600) return relative.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(s / 3600), 'hour');
  return relative.format(Math.round(s / 86400), 'day');
}

/** A duration such as "4 min" or "2 h 5 min", with the locale's unit names. */
export function formatDuration(ms: number | null): string {
  if (ms == null) return '—';
  const minutes = Math.round(ms / 60000);
  const unit = (value: number, u: 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(undefined, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  if (minutes < 60) return unit(minutes, 'minute');
  if (minutes < 60 * 48) return `${unit(Math.floor(minutes / 60), 'hour')} ${unit(minutes % 60, 'minute')}`;
  return unit(Math.round(minutes / 1440), 'day');
}

/** File sizes with the locale's digits and the usual units (kB, MB, GB). */
export function formatBytes(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return new Intl.NumberFormat(undefined, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}
