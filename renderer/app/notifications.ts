import { isBrowserHost, on } from '../api/client';
import { navigate } from './route';

/**
 * In the browser host the page shows the core's notification requests itself; in Electron the shell
 * shows native ones from the same request, so the renderer stays quiet there (no double alerts).
 * A click focuses the window and opens the route it carries (`lead/<id>`, `thread/<id>`).
 */
export function startWebNotifications(): () => void {
  const offNavigate = on('app.navigate', ({ route }) => navigate(route));
  if (!isBrowserHost || typeof Notification === 'undefined') return offNavigate;
  const offNotify = on('notification.requested', (n) => {
    if (Notification.permission !== 'granted') return;
    const shown = new Notification(n.title, { body: n.body, tag: n.tag });
    shown.onclick = () => {
      window.focus();
      navigate(n.route);
      shown.close();
    };
  });
  return () => {
    offNavigate();
    offNotify();
  };
}

export function notificationsNeedPermission(): boolean {
  return isBrowserHost && typeof Notification !== 'undefined' && Notification.permission === 'default';
}
