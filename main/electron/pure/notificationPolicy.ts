/**
 * Whether and how a core notification request becomes a native notification. The core already
 * filters what it asks for; the shell is the last gate for every area that raises one (leads,
 * messages, reminders, reconnect warnings), so "off", quiet hours (the core's own rule) and
 * "no previews" hold for all of them, "no sound" becomes a silent notification, and the click
 * route is checked against the closed route grammar before it is attached.
 */
import type { Settings } from '../../../shared/domain/settings';
import { inQuietHours } from '../../core/leads/notifyLead';
import type { NotificationRequest } from '../../core/ports';
import { parseRoute, routeToString, type Route } from './deepLink';

export type NotificationPlan =
  | { show: false; reason: 'disabled' | 'quiet_hours' | 'bad_route' }
  | { show: true; tag: string; title: string; body: string; silent: boolean; route: string };

/** What the notification says when previews are off: no name, no message text. */
function genericText(route: Route): { title: string; body: string } {
  if (route.kind === 'thread') return { title: 'New message', body: 'Open Lead Inbox to read it.' };
  return { title: 'New lead', body: 'Open Lead Inbox to see who it is.' };
}

export function planNotification(
  request: NotificationRequest,
  settings: Settings,
  now: Date,
): NotificationPlan {
  const prefs = settings.notifications;
  if (!prefs.enabled) return { show: false, reason: 'disabled' };
  const route = parseRoute(request.route);
  if (!route.ok) return { show: false, reason: 'bad_route' };
  if (inQuietHours(settings, now)) return { show: false, reason: 'quiet_hours' };
  const text = prefs.previews
    ? { title: request.title.slice(0, 120), body: request.body.slice(0, 300) }
    : genericText(route.value);
  return {
    show: true,
    tag: request.tag,
    ...text,
    silent: !prefs.sound,
    route: routeToString(route.value),
  };
}

/**
 * The dock/taskbar badge: unread conversations (the core's count, which persists until read)
 * plus leads that arrived while the owner was away (window hidden or unfocused), once per lead,
 * cleared when they look. Leads have no "unread" state of their own, hence the two parts.
 */
export class BadgeState {
  private unreadThreads = 0;
  private readonly newLeads = new Set<string>();

  setUnreadThreads(count: number): number {
    this.unreadThreads = Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
    return this.count;
  }

  leadArrived(tag: string): number {
    this.newLeads.add(tag);
    return this.count;
  }

  seen(): number {
    this.newLeads.clear();
    return this.count;
  }

  get count(): number {
    return this.unreadThreads + this.newLeads.size;
  }
}

/**
 * Drops a request whose tag was shown within the window: the core may both call the Notifier
 * port and emit `notification.requested` for the same lead, and a webhook replay must not ring twice.
 */
export class RecentTags {
  private readonly seen = new Map<string, number>();
  constructor(private readonly windowMs = 60_000) {}

  /** True the first time a tag is seen within the window. */
  admit(tag: string, nowMs: number): boolean {
    for (const [t, at] of this.seen) if (nowMs - at >= this.windowMs) this.seen.delete(t);
    if (this.seen.has(tag)) return false;
    this.seen.set(tag, nowMs);
    return true;
  }
}
