import { useEffect, useState } from 'react';
import type { ConversationSettings } from '../../../shared/index';
import { call, errorText } from '../../api/client';

/** The two conversation preferences, next to the list they affect (notification previews live in Settings). */
export function ThreadSettings() {
  const [s, setS] = useState<ConversationSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('threads.settings', {}).then(setS, (e: unknown) => setError(errorText(e)));
  }, []);
  const update = (patch: Partial<ConversationSettings>) =>
    call('threads.updateSettings', patch).then(setS, (e: unknown) => setError(errorText(e)));
  return (
    <details className="thread-settings">
      <summary>Conversation settings</summary>
      {s && (
        <>
          <label className="inline">
            <input type="checkbox" checked={s.markReadOnOpen} onChange={(e) => void update({ markReadOnOpen: e.target.checked })} />
            Send WhatsApp read receipts when I open a conversation
          </label>
          <label className="inline">
            <input type="checkbox" checked={s.humanAgentTag} onChange={(e) => void update({ humanAgentTag: e.target.checked })} />
            Reply on Messenger / Instagram up to 7 days with the Human Agent tag (needs Meta&apos;s approval for the page)
          </label>
        </>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </details>
  );
}
