import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../shared/index';
import { on } from '../api/client';

/** Subscribes to a main-process event for the component's lifetime; the latest handler always runs. */
export function useEvent<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => on(event, (p) => ref.current(p)), [event]);
}
