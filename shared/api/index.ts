/**
 * The one contract between the renderer and main: method name → input/output schemas, and the
 * events main pushes. Each domain keeps its own table in this folder; this file only joins them.
 * The Electron preload and the Node host are two transports of the same table.
 */
import type { z } from 'zod';
import { appEvents } from './app';
import { connectionEvents, connectionMethods } from './connection';
import { conversionEvents, conversionMethods } from './conversions';
import { inboxEvents, inboxMethods } from './inbox';
import { leadEvents, leadMethods } from './leads';
import { pageEvents, pageMethods } from './pages';
import { settingsEvents, settingsMethods } from './settings';
import { threadEvents, threadMethods } from './threads';

export const apiMethods = {
  ...leadMethods,
  ...inboxMethods,
  ...connectionMethods,
  ...pageMethods,
  ...settingsMethods,
  ...conversionMethods,
  ...threadMethods,
};

export const apiEvents = {
  ...leadEvents,
  ...inboxEvents,
  ...connectionEvents,
  ...pageEvents,
  ...settingsEvents,
  ...conversionEvents,
  ...threadEvents,
  ...appEvents,
};

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
/** What a caller may pass (defaults not yet applied). */
export type MethodInput<M extends MethodName> = z.input<ApiMethods[M]['input']>;
/** What a handler receives after validation. */
export type MethodParsedInput<M extends MethodName> = z.output<ApiMethods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<ApiMethods[M]['output']>;

export type ApiEvents = typeof apiEvents;
export type EventName = keyof ApiEvents;
export type EventPayload<E extends EventName> = z.output<ApiEvents[E]>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiMethods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiEvents, name);
}

/** Names the preload and host allow on their single call/event channels. */
export const methodNames = Object.keys(apiMethods) as MethodName[];
export const eventNames = Object.keys(apiEvents) as EventName[];
