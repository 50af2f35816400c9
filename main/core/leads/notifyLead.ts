import type { LeadRow, Settings } from '../../../shared/index';
import type { EventBus } from '../events';
import type { NotificationRequest, Notifier } from '../ports';

/** Whether `now` (local time) falls inside the owner's quiet hours, which may wrap midnight. */
export function inQuietHours(settings: Settings, now: Date): boolean {
  const q = settings.notifications.quietHours;
  if (!q.enabled) return false;
  const minutes = now.getHours() * 60 + now.getMinutes();
  const [sh, sm] = q.start.split(':').map(Number) as [number, number];
  const [eh, em] = q.end.split(':').map(Number) as [number, number];
  const start = sh * 60 + sm;
  const end = eh * 60 + em;
  return start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/**
 * "New lead: <name>" through the Notifier port (the Electron shell shows a native notification)
 * and as an event (the browser host's renderer shows a Web Notification). Previews off hides the
 * name; quiet hours and "notifications off" suppress both.
 */
export function notifyNewLead(
  lead: LeadRow,
  deps: { notifier: Notifier; events: EventBus; settings: () => Settings; now: () => number },
): void {
  const s = deps.settings();
  if (!s.notifications.enabled || inQuietHours(s, new Date(deps.now()))) return;
  const name = lead.name ?? lead.email ?? lead.phone ?? 'someone';
  const where = [lead.formName, lead.pageName].filter(Boolean).join(' · ');
  const n: NotificationRequest = s.notifications.previews
    ? {
        tag: `lead/${lead.id}`,
        title: `New lead: ${name}`,
        body: where || 'Open Lead Inbox to reply.',
        route: `lead/${lead.id}`,
      }
    : {
        tag: `lead/${lead.id}`,
        title: 'New lead',
        body: 'Open Lead Inbox to see it.',
        route: `lead/${lead.id}`,
      };
  deps.notifier.notify(n);
  deps.events.emit('notification.requested', n);
}
