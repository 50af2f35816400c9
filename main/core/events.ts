import type { EventName, EventPayload } from '../../shared/index';

export type Listener<E extends EventName> = (payload: EventPayload<E>) => void;
export type AnyListener = (name: EventName, payload: unknown) => void;

/** Typed fan-out of core events to the UI transports and the notifier. */
export class EventBus {
  private readonly listeners = new Map<EventName, Set<Listener<never>>>();
  private readonly all = new Set<AnyListener>();

  on<E extends EventName>(name: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Every event, for transports that forward everything to a window or socket. */
  onAny(listener: AnyListener): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(name) ?? []) (l as Listener<E>)(payload);
    for (const l of this.all) l(name, payload);
  }
}
