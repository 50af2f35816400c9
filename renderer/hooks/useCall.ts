import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, MethodInput, MethodName, MethodOutput } from '../../shared/index';
import { call, errorText, on } from '../api/client';
import { coalesce } from './coalesce';

export interface CallState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/**
 * Loads a method's result and reloads it when the input changes or any of `refreshOn` fires
 * (a burst of events reloads at once, then at most once per `refreshGapMs`, and never sooner than
 * four times the last reload took). Answers to stale inputs are dropped.
 */
export function useCall<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  refreshOn: EventName[] = [],
  { refreshGapMs = 500 }: { refreshGapMs?: number } = {},
): CallState<MethodOutput<M>> {
  const [state, setState] = useState<{ data: MethodOutput<M> | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const key = JSON.stringify(input);
  const seq = useRef(0);
  const load = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    return call(method, JSON.parse(key) as MethodInput<M>).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (e: unknown) => mine === seq.current && setState((s) => ({ data: s.data, error: errorText(e), loading: false })),
    );
  }, [method, key]);
  useEffect(() => void load(), [load]);
  const events = refreshOn.join(',');
  useEffect(() => {
    // At most one reload in flight; a slow one (Home's stats on a big store) spaces the next out.
    const schedule = coalesce(load, { minGapMs: refreshGapMs, busyFactor: 4 });
    const offs = events ? events.split(',').map((e) => on(e as EventName, schedule)) : [];
    return () => {
      schedule.cancel();
      offs.forEach((off) => off());
    };
  }, [events, load, refreshGapMs]);
  return { ...state, reload: () => void load() };
}
