import { useEffect, useId, useState } from 'react';
import type { ConversionSettings, ConversionsHealth } from '../../../shared/index';
import { call, errorText } from '../../api/client';
import { useCall } from '../../hooks/useCall';

const dayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * Settings → Conversions and speed to lead: the dataset Meta receives pipeline stages in, which
 * stages go under which event name, a test-event code, the hashing opt-in, and the reminder for
 * waiting leads (minutes and business hours). Self-contained: `<ConversionsSettings />`.
 */
export function ConversionsSettings() {
  const { data, error } = useCall('conversions.getSettings', {}, ['conversions.health']);
  const stages = useCall('stages.list', {});
  const [draft, setDraft] = useState<ConversionSettings | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    if (data && !draft) setDraft(data.settings);
  }, [data, draft]);

  if (error) return <p role="alert">{error}</p>;
  if (!draft || !data) return <p aria-busy="true">Loading…</p>;

  const set = (patch: Partial<ConversionSettings>) => setDraft({ ...draft, ...patch });
  const stageList = [...new Set([...(stages.data?.stages ?? []), ...Object.keys(draft.stageEvents)])];

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setStatus(null);
    try {
      const res = await call('conversions.updateSettings', {
        ...draft!,
        datasetId: draft!.datasetId?.trim() || null,
        testEventCode: draft!.testEventCode?.trim() || null,
      });
      setDraft(res.settings);
      setStatus('Saved.');
    } catch (err) {
      setStatus(errorText(err));
    }
  }

  return (
    <form className="settings-section" aria-labelledby={`${id}-title`} onSubmit={(e) => void save(e)}>
      <h2 id={`${id}-title`}>Conversions and speed to lead</h2>
      <HealthLine health={data.health} />

      <fieldset>
        <legend>Tell Meta which leads became customers</legend>
        <label>
          Dataset (pixel) id
          <input
            inputMode="numeric"
            value={draft.datasetId ?? ''}
            onChange={(e) => set({ datasetId: e.target.value || null })}
            aria-describedby={`${id}-dataset-help`}
          />
        </label>
        <p id={`${id}-dataset-help`} className="muted" style={fullRow}>
          From Events Manager. Leave empty to send nothing. Only the lead id leaves this computer unless you turn on
          contact matching below.
        </p>

        <table style={fullRow}>
          <caption style={{ textAlign: 'start' }}>Stages sent to Meta</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Send</th>
              <th scope="col">Event name</th>
            </tr>
          </thead>
          <tbody>
            {stageList.map((stage) => {
              const mapped = stage in draft.stageEvents;
              return (
                <tr key={stage}>
                  <th scope="row">{stage}</th>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Send stage ${stage}`}
                      checked={mapped}
                      onChange={(e) => {
                        const next = { ...draft.stageEvents };
                        if (e.target.checked) next[stage] = capitalise(stage);
                        else delete next[stage];
                        set({ stageEvents: next });
                      }}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Event name for stage ${stage}`}
                      disabled={!mapped}
                      value={draft.stageEvents[stage] ?? ''}
                      onChange={(e) => set({ stageEvents: { ...draft.stageEvents, [stage]: e.target.value } })}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>

        <label>
          Test event code (optional)
          <input value={draft.testEventCode ?? ''} onChange={(e) => set({ testEventCode: e.target.value || null })} />
        </label>
        <label>
          Country for phone numbers without a country code
          <input
            maxLength={2}
            placeholder="e.g. US"
            value={draft.defaultCountry ?? ''}
            onChange={(e) => set({ defaultCountry: e.target.value.toUpperCase() || null })}
          />
        </label>
        <label className="inline" style={fullRow}>
          <input
            type="checkbox"
            checked={draft.sendHashedContact}
            onChange={(e) => set({ sendHashedContact: e.target.checked })}
          />{' '}
          Also send hashed email and phone (SHA-256; improves matching)
        </label>
      </fieldset>

      {data.settings.datasetId && <SystemTokenField datasetId={data.settings.datasetId} />}
      {data.health.failed > 0 && <RetryFailed />}

      <fieldset>
        <legend>Remind me about waiting leads</legend>
        <label className="inline" style={fullRow}>
          <input
            type="checkbox"
            checked={draft.remindersEnabled}
            onChange={(e) => set({ remindersEnabled: e.target.checked })}
          />{' '}
          Notify me when a new lead has not been contacted
        </label>
        <label>
          After (minutes of business hours)
          <input
            type="number"
            min={1}
            max={1440}
            value={draft.reminderMinutes}
            onChange={(e) => set({ reminderMinutes: Number(e.target.value) })}
          />
        </label>
        <div role="group" aria-label="Business days" style={fullRow}>
          {dayNames.map((name, day) => (
            <label key={name} className="inline" style={{ display: 'inline-flex', marginInlineEnd: 8 }}>
              <input
                type="checkbox"
                checked={draft.businessHours.days.includes(day)}
                onChange={(e) => {
                  const days = e.target.checked
                    ? [...draft.businessHours.days, day].sort()
                    : draft.businessHours.days.filter((d) => d !== day);
                  set({ businessHours: { ...draft.businessHours, days } });
                }}
              />{' '}
              {name}
            </label>
          ))}
        </div>
        <label>
          Opens
          <input
            type="time"
            value={draft.businessHours.start}
            onChange={(e) => set({ businessHours: { ...draft.businessHours, start: e.target.value } })}
          />
        </label>
        <label>
          Closes
          <input
            type="time"
            value={draft.businessHours.end}
            onChange={(e) => set({ businessHours: { ...draft.businessHours, end: e.target.value } })}
          />
        </label>
        <label>
          Time zone
          <input value={draft.timeZone} onChange={(e) => set({ timeZone: e.target.value })} />
        </label>
      </fieldset>

      <button type="submit">Save</button>
      {status && <p role="status">{status}</p>}
    </form>
  );
}

/**
 * Optional system-user token for the dataset (Business Settings → System users). It goes to the
 * OS keychain through main and is never read back: the form only learns whether one is stored.
 */
function SystemTokenField({ datasetId }: { datasetId: string }) {
  const present = useCall('conversions.systemToken', {}, ['conversions.health']);
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  async function store(value: string | null) {
    setMessage(null);
    try {
      await call('conversions.setSystemToken', { token: value });
      setToken('');
      setMessage(value ? 'Token stored in the system keychain.' : 'Token removed; page tokens are used.');
      present.reload();
    } catch (e) {
      setMessage(errorText(e));
    }
  }

  return (
    <fieldset>
      <legend>Access token for dataset {datasetId} (optional)</legend>
      <p className="muted" style={fullRow}>
        {present.data?.present
          ? 'A system-user token is stored and used for this dataset.'
          : "Events are sent with your Pages' tokens. Paste a system-user token if your dataset needs one."}
      </p>
      <label>
        System-user access token
        <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
      </label>
      <button type="button" disabled={!token.trim()} onClick={() => void store(token.trim())}>
        Store token
      </button>
      {present.data?.present && (
        <button type="button" onClick={() => void store(null)}>
          Remove token
        </button>
      )}
      {message && (
        <p role="status" style={fullRow}>
          {message}
        </p>
      )}
    </fieldset>
  );
}

function RetryFailed() {
  const [message, setMessage] = useState<string | null>(null);
  return (
    <p>
      <button
        type="button"
        onClick={() =>
          void call('conversions.retry', {}).then(
            (r) => setMessage(`${r.requeued} events queued again.`),
            (e: unknown) => setMessage(errorText(e)),
          )
        }
      >
        Retry failed events
      </button>{' '}
      {message && <span role="status">{message}</span>}
    </p>
  );
}

function HealthLine({ health }: { health: ConversionsHealth }) {
  const text =
    health.state === 'off'
      ? 'Off: no dataset connected.'
      : health.state === 'reauth_required'
        ? `Paused: ${health.message ?? 'Meta refused the access token.'} Reconnect Facebook in Pages.`
        : health.state === 'retrying'
          ? 'Meta did not answer; events are kept and retried.'
          : 'On.';
  return (
    <p role="status" data-testid="conversions-health">
      {text} {health.sent} sent, {health.pending} waiting, {health.failed} failed.
    </p>
  );
}

/** Inside the settings fieldsets (flex rows), a block that takes a whole row. */
const fullRow = { flexBasis: '100%' } as const;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
