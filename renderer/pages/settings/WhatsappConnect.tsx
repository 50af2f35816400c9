import { useState } from 'react';
import { call, errorText } from '../../api/client';
import { useCall } from '../../hooks/useCall';

/** WhatsApp Business numbers, connected with a system-user token that goes straight to the keychain. */
export function WhatsappConnect({ onMessage }: { onMessage(m: string): void }) {
  const numbers = useCall('whatsapp.list', {}, ['whatsapp.changed']);
  const [form, setForm] = useState({ wabaId: '', phoneNumberId: '', token: '' });
  return (
    <section aria-labelledby="wa-title">
      <h2 id="wa-title">WhatsApp</h2>
      {numbers.data?.numbers.length ? (
        <ul>
          {numbers.data.numbers.map((n) => (
            <li key={n.phoneNumberId}>
              {n.verifiedName ?? n.displayPhoneNumber ?? n.phoneNumberId} · {n.status}{' '}
              <button type="button" onClick={() => call('whatsapp.disconnect', { phoneNumberId: n.phoneNumberId }).then(() => onMessage('WhatsApp number disconnected.'), (e: unknown) => onMessage(errorText(e)))}>
                Disconnect
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No WhatsApp number connected.</p>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          call('whatsapp.connect', form).then(
            () => {
              setForm({ wabaId: '', phoneNumberId: '', token: '' });
              onMessage('WhatsApp connected.');
            },
            (err: unknown) => onMessage(errorText(err)),
          );
        }}
      >
        <label>
          Business account id
          <input value={form.wabaId} inputMode="numeric" onChange={(e) => setForm({ ...form, wabaId: e.target.value })} />
        </label>
        <label>
          Phone number id
          <input value={form.phoneNumberId} inputMode="numeric" onChange={(e) => setForm({ ...form, phoneNumberId: e.target.value })} />
        </label>
        <label>
          System user token
          <input type="password" autoComplete="off" value={form.token} onChange={(e) => setForm({ ...form, token: e.target.value })} />
        </label>
        <button type="submit">Connect WhatsApp</button>
      </form>
    </section>
  );
}
