import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/index';
import { call, errorText } from '../../api/client';
import { formatBytes, formatDateTime, formatNumber } from '../../format';
import { useCall } from '../../hooks/useCall';
import { ExportControls } from '../leads/ExportControls';
import { ConversionsSettings } from './ConversionsSettings';
import { DeleteAllData } from './DeleteAllData';
import { StagesEditor } from './StagesEditor';
import { WhatsappConnect } from './WhatsappConnect';

export function SettingsPage() {
  const settings = useCall('settings.get', {}, ['settings.changed']);
  const accounts = useCall('accounts.list', {}, ['accounts.changed', 'data.deleted']);
  const dataInfo = useCall('data.info', {}, ['data.deleted']);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setDraft(settings.data), [settings.data]);
  const act = (work: Promise<unknown>, done: string) =>
    work.then(
      () => setMessage(done),
      (e: unknown) => setMessage(errorText(e)),
    );
  const save = () => draft && void act(call('settings.update', draft), 'Settings saved.');
  const n = draft?.notifications;

  return (
    <section className="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p role="status">{message}</p>

      <section aria-labelledby="accounts-title">
        <h2 id="accounts-title">Facebook and Instagram</h2>
        {accounts.data?.accounts.length ? (
          <ul>
            {accounts.data.accounts.map((a) => (
              <li key={a.id}>
                {a.name} · connected {formatDateTime(a.connectedAt)} {a.warning && <span className="warning">{a.warning}</span>}{' '}
                <button type="button" onClick={() => void act(call('auth.disconnect', { accountId: a.id }), `${a.name} disconnected.`)}>
                  Disconnect
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Not connected yet.</p>
        )}
        <button type="button" onClick={() => void act(call('auth.connectFacebook', {}), 'Facebook connected.')}>
          Connect Facebook
        </button>
      </section>

      <WhatsappConnect onMessage={setMessage} />

      {draft && n && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <fieldset>
            <legend>Relay</legend>
            <label>
              Relay address
              <input
                type="url"
                value={draft.general.relayUrl ?? ''}
                placeholder="https://relay.example.com"
                onChange={(e) => setDraft({ ...draft, general: { relayUrl: e.target.value || null } })}
              />
            </label>
          </fieldset>
          <fieldset>
            <legend>Notifications</legend>
            {(['enabled', 'sound', 'previews'] as const).map((k) => (
              <label className="inline" key={k}>
                <input type="checkbox" checked={n[k]} onChange={(e) => setDraft({ ...draft, notifications: { ...n, [k]: e.target.checked } })} />
                {k === 'enabled' ? 'Show notifications' : k === 'sound' ? 'Play a sound' : 'Show names and message text'}
              </label>
            ))}
            <label className="inline">
              <input
                type="checkbox"
                checked={n.quietHours.enabled}
                onChange={(e) => setDraft({ ...draft, notifications: { ...n, quietHours: { ...n.quietHours, enabled: e.target.checked } } })}
              />
              Quiet hours
            </label>
            <label>
              From
              <input type="time" value={n.quietHours.start} onChange={(e) => setDraft({ ...draft, notifications: { ...n, quietHours: { ...n.quietHours, start: e.target.value } } })} />
            </label>
            <label>
              To
              <input type="time" value={n.quietHours.end} onChange={(e) => setDraft({ ...draft, notifications: { ...n, quietHours: { ...n.quietHours, end: e.target.value } } })} />
            </label>
          </fieldset>
          <fieldset>
            <legend>Sync</legend>
            <label>
              Check for missed leads every (minutes)
              <input
                type="number"
                min={1}
                max={1440}
                value={draft.sync.reconciliationMinutes}
                onChange={(e) => setDraft({ ...draft, sync: { ...draft.sync, reconciliationMinutes: Number(e.target.value) } })}
              />
            </label>
          </fieldset>
          <button type="submit">Save settings</button>
        </form>
      )}

      <StagesEditor onMessage={setMessage} />

      <section aria-labelledby="data-title">
        <h2 id="data-title">Your data</h2>
        <p className="muted">Leads and messages are stored only on this computer. Export them any time.</p>
        {dataInfo.data && (
          <p data-testid="data-info">
            Data folder: <code>{dataInfo.data.dataDir}</code> · {formatBytes(dataInfo.data.bytes)} · {formatNumber(dataInfo.data.leads)} leads
          </p>
        )}
        <ExportControls filter={{}} sort="created_desc" />
        <DeleteAllData onMessage={setMessage} />
      </section>

      <ConversionsSettings />
    </section>
  );
}
