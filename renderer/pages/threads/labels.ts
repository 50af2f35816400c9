import type { Channel, MessageStatus } from '../../../shared/index';

export const channelName: Record<Channel, string> = {
  messenger: 'Messenger',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
};

/** Ticks as people know them from messengers, with words for screen readers and tooltips. */
export const statusMark: Record<MessageStatus, { mark: string; label: string }> = {
  received: { mark: '', label: 'Received' },
  sending: { mark: '🕓', label: 'Sending' },
  sent: { mark: '✓', label: 'Sent' },
  delivered: { mark: '✓✓', label: 'Delivered' },
  read: { mark: '✓✓', label: 'Read' },
  failed: { mark: '!', label: 'Not sent' },
};

/** "5 h 12 min left": the reply window's remaining time, coarse on purpose (it ticks once a minute). */
export function remaining(untilMs: number, now: number): string {
  const mins = Math.max(0, Math.floor((untilMs - now) / 60_000));
  const fmt = (v: number, unit: 'day' | 'hour' | 'minute') =>
    new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'short' }).format(v);
  if (mins >= 48 * 60) return `${fmt(Math.floor(mins / 1440), 'day')} ${fmt(Math.floor((mins % 1440) / 60), 'hour')}`;
  if (mins >= 60) return `${fmt(Math.floor(mins / 60), 'hour')} ${fmt(mins % 60, 'minute')}`;
  return fmt(mins, 'minute');
}

export function threadHref(id: string): string {
  return `#/thread/${encodeURIComponent(id)}`;
}
