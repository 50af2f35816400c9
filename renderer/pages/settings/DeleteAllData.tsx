import { useEffect, useRef, useState } from 'react';
import { call, errorText } from '../../api/client';

/**
 * Settings → "Disconnect and delete data". Two steps on purpose: the button only opens a modal
 * confirmation whose default focus is Cancel, so Enter or a stray click never deletes anything.
 */
export function DeleteAllData({ onMessage }: { onMessage(text: string): void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) cancelRef.current?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    openerRef.current?.focus();
  };
  const confirm = () => {
    setBusy(true);
    call('data.deleteAll', { confirm: true }).then(
      (r) => {
        setBusy(false);
        close();
        onMessage(`Disconnected and deleted ${r.leads.toLocaleString()} leads and their messages.`);
      },
      (e: unknown) => {
        setBusy(false);
        close();
        onMessage(errorText(e));
      },
    );
  };
  return (
    <>
      <button ref={openerRef} type="button" className="danger" onClick={() => setOpen(true)}>
        Disconnect and delete data…
      </button>
      {open && (
        <div
          className="overlay"
          role="alertdialog"
          aria-modal="true"
          aria-labelledby="delete-all-title"
          aria-describedby="delete-all-text"
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !busy) {
              e.stopPropagation();
              close();
            }
          }}
        >
          <div className="overlay-panel">
            <h2 id="delete-all-title">Disconnect and delete everything?</h2>
            <p id="delete-all-text">
              Every Facebook account and WhatsApp number is disconnected and its access removed from this
              computer&apos;s keychain. All leads, messages, notes, tags, saved views and downloaded media are
              deleted from this computer. This cannot be undone; export first if you need a copy.
            </p>
            <button ref={cancelRef} type="button" onClick={close} disabled={busy}>
              Cancel
            </button>{' '}
            <button type="button" className="danger" onClick={confirm} disabled={busy}>
              {busy ? 'Deleting…' : 'Delete everything'}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
