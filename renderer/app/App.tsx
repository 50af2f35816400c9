import { useEffect, useRef, useState } from 'react';
import { HelpOverlay } from '../components/HelpOverlay';
import { OfflineBanner } from '../components/OfflineBanner';
import { HomePage } from '../pages/home/HomePage';
import { LeadsPage } from '../pages/leads/LeadsPage';
import { PagesPage } from '../pages/pages/PagesPage';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { ThreadsPage } from '../pages/threads/ThreadsPage';
import { notificationsNeedPermission, startWebNotifications } from './notifications';
import { navigate, useRoute, type Route } from './route';
import { isTyping } from './keys';

const nav: { view: Route['view']; label: string; href: string; key: string }[] = [
  { view: 'home', label: 'Home', href: '#/', key: 'h' },
  { view: 'leads', label: 'Leads', href: '#/leads', key: 'l' },
  { view: 'threads', label: 'Threads', href: '#/threads', key: 't' },
  { view: 'pages', label: 'Pages', href: '#/pages', key: 'p' },
  { view: 'settings', label: 'Settings', href: '#/settings', key: 's' },
];

export function App() {
  const route = useRoute();
  const [help, setHelp] = useState(false);
  const [askNotify, setAskNotify] = useState(notificationsNeedPermission);
  const mainRef = useRef<HTMLElement>(null);
  const pendingG = useRef(false);

  useEffect(() => startWebNotifications(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && help) return setHelp(false);
      if (isTyping(e) || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === '?') {
        e.preventDefault();
        setHelp((h) => !h);
      } else if (e.key === 'g') {
        pendingG.current = true;
        window.setTimeout(() => (pendingG.current = false), 1200);
      } else if (pendingG.current) {
        pendingG.current = false;
        const target = nav.find((n) => n.key === e.key);
        if (target) location.hash = target.href;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [help]);

  const active = route.view;
  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Lead Inbox</span>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => (
              <li key={n.view}>
                <a href={n.href} aria-current={active === n.view ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="help-button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
      </header>
      <OfflineBanner />
      {askNotify && (
        <div className="banner" role="region" aria-label="Notifications">
          Get a notification the moment a lead arrives.{' '}
          <button
            type="button"
            onClick={() => void Notification.requestPermission().then(() => setAskNotify(notificationsNeedPermission()))}
          >
            Turn on notifications
          </button>
        </div>
      )}
      <main id="main" ref={mainRef} tabIndex={-1}>
        {route.view === 'home' && <HomePage />}
        {route.view === 'leads' && <LeadsPage leadId={route.leadId} />}
        {route.view === 'threads' && <ThreadsPage threadId={route.threadId} />}
        {route.view === 'pages' && <PagesPage />}
        {route.view === 'settings' && <SettingsPage />}
      </main>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}

export { navigate };
