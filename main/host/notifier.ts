import type { Logger, Notifier } from '../core/ports';

/**
 * The core raises a notification twice by convention: `notifier.notify(n)` for a native one (the
 * Electron shell) and the `notification.requested` event for windows. In the browser host the
 * renderer shows the event with the Web Notifications API, so this Notifier must not emit the event
 * again (that would notify twice); it only leaves a trace in the log, without personal data.
 */
export function createHostNotifier(logger: Logger): Notifier {
  return {
    notify(n) {
      logger.info('notification requested', { tag: n.tag, route: n.route });
    },
  };
}
