/**
 * The core's Notifier port as native OS notifications. The policy (settings, quiet hours,
 * previews, route check) is pure/notificationPolicy.ts; this file only shows, tracks and routes
 * clicks. The dock/taskbar badge counts what arrived while the window was not in front.
 */
import { Notification } from 'electron';
import type { BadgeView } from './badge';
import type { Logger, NotificationRequest, Notifier } from '../core/ports';
import type { Settings } from '../../shared/domain/settings';
import { BadgeState, RecentTags, planNotification } from './pure/notificationPolicy';
import { parseRoute } from './pure/deepLink';

export interface NativeNotifier extends Notifier {
  /** The owner looked at the app: new leads no longer count on the badge. */
  seen(): void;
  /** The core's count of conversations with unread messages. */
  setUnreadThreads(count: number): void;
  /** Close everything still on screen (quitting). */
  dispose(): void;
}

export function createNativeNotifier(opts: {
  settings: () => Settings;
  /** Focus the app and open this route (`lead/123`, `thread/t_1`). */
  open: (route: string) => void;
  /** Whether the owner is looking at the window right now (then no badge). */
  windowFocused: () => boolean;
  badge: BadgeView;
  logger: Logger;
  now?: () => number;
}): NativeNotifier {
  const now = opts.now ?? Date.now;
  const badge = new BadgeState();
  const recent = new RecentTags();
  // Electron drops click handlers of notifications that were garbage-collected: keep references
  // until the notification is closed or clicked.
  const live = new Map<string, Notification>();

  const setBadge = (count: number) => opts.badge.show(count);

  return {
    notify(request: NotificationRequest) {
      if (!recent.admit(request.tag, now())) return;
      const plan = planNotification(request, opts.settings(), new Date(now()));
      // A lead counts even in quiet hours: silence is about sound and banners, not about the news.
      const route = parseRoute(request.route);
      if (route.ok && route.value.kind === 'lead' && !opts.windowFocused()) {
        setBadge(badge.leadArrived(request.tag));
        if (plan.show) opts.badge.attention();
      }
      if (!plan.show) {
        opts.logger.info('notification not shown', { reason: plan.reason });
        return;
      }
      if (!Notification.isSupported()) {
        opts.logger.warn('native notifications are not supported on this system');
        return;
      }
      const replaced = live.get(plan.tag);
      const n = new Notification({ title: plan.title, body: plan.body, silent: plan.silent });
      live.set(plan.tag, n);
      // The replaced notification's 'close' arrives after the new one took its tag: only forget
      // the entry if it is still this notification's, or the new one loses its click handler.
      const forget = () => {
        if (live.get(plan.tag) === n) live.delete(plan.tag);
      };
      replaced?.close();
      n.on('click', () => {
        forget();
        opts.open(plan.route);
      });
      n.on('close', forget);
      n.on('failed', (_e, error) => {
        forget();
        opts.logger.warn('notification failed', { error });
      });
      n.show();
    },
    seen() {
      setBadge(badge.seen());
    },
    setUnreadThreads(count) {
      setBadge(badge.setUnreadThreads(count));
    },
    dispose() {
      for (const n of live.values()) n.close();
      live.clear();
    },
  };
}
