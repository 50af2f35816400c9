import { useEffect, useState } from 'react';
import { call, errorText } from '../../api/client';
import { useCall } from '../../hooks/useCall';

/** The pipeline's stages, one per line, in order (keys 1–5 pick the first five). */
export function StagesEditor({ onMessage }: { onMessage(m: string): void }) {
  const stages = useCall('stages.list', {});
  const [text, setText] = useState('');
  useEffect(() => setText(stages.data?.stages.join('\n') ?? ''), [stages.data]);
  return (
    <section aria-labelledby="stages-title">
      <h2 id="stages-title">Pipeline stages</h2>
      <label htmlFor="stages-text">One stage per line, in order</label>
      <textarea id="stages-text" rows={6} value={text} onChange={(e) => setText(e.target.value)} />
      <button
        type="button"
        onClick={() =>
          call('stages.set', { stages: text.split('\n').map((s) => s.trim()).filter(Boolean) }).then(
            () => onMessage('Stages saved.'),
            (e: unknown) => onMessage(errorText(e)),
          )
        }
      >
        Save stages
      </button>
    </section>
  );
}
