/**
 * What the core needs from its host (the Electron shell or the Node host) and cannot do itself.
 * Each has a Node implementation in main/core or main/host and an Electron one in main/electron.
 */

/** Secrets live here and nowhere else (OS keychain through keytar). */
export interface TokenStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  list(): Promise<string[]>;
}

export interface NotificationRequest {
  /** Stable id so repeated notifications for one thread coalesce. */
  tag: string;
  title: string;
  body: string;
  /** Where a click takes the owner, e.g. `lead/123` or `thread/abc`. */
  route: string;
}

export interface Notifier {
  notify(n: NotificationRequest): void;
}

/** Opens a URL in the owner's browser (OAuth hand-off); the shell allows https only. */
export type OpenExternal = (url: string) => Promise<void>;

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A structured log line; the sink redacts and writes it. Never pass tokens or personal data. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Where the owner's settings are kept (no secrets). The Node host uses a JSON file in the data
 * folder (main/core/settings/jsonSettingsStore.ts); the Electron shell may use electron-store.
 * read() returns whatever was stored (or null); the core validates it field by field.
 */
export interface SettingsStore {
  read(): unknown;
  write(settings: unknown): void;
}
