import { useEffect, useRef } from 'react';

export const shortcuts: [string, string][] = [
  ['?', 'Show or hide this help'],
  ['/', 'Search leads'],
  ['j or ↓', 'Next lead'],
  ['k or ↑', 'Previous lead'],
  ['Enter', 'Open the lead'],
  ['Esc', 'Close the lead, the search or this help'],
  ['1 – 5', 'Move the lead (or the selected leads) to stage 1 – 5'],
  ['x', 'Select or unselect the lead'],
  ['g then h / l / t / p / s', 'Go to Home, Leads, Threads, Pages, Settings'],
];

export function HelpOverlay({ onClose }: { onClose(): void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" onClick={onClose}>
      <div className="overlay-panel" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {shortcuts.map(([key, what]) => (
              <tr key={key}>
                <td>
                  <kbd>{key}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={closeRef} type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
