import {
  ApiError,
  applySettingsPatch,
  settingsFromStored,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../../shared/index';
import type { EventBus } from '../events';
import type { SettingsStore } from '../ports';

export interface SettingsService {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  /** Called with the new settings after every successful update. */
  onChange(listener: (s: Settings) => void): () => void;
}

/** Reads once, validates field by field, keeps the current value in memory, writes on update. */
export function createSettingsService(store: SettingsStore, events: EventBus): SettingsService {
  let current = settingsFromStored(store.read());
  const listeners = new Set<(s: Settings) => void>();
  return {
    get: () => current,
    update(patch) {
      const next = settingsSchema.safeParse(applySettingsPatch(current, patch));
      if (!next.success) {
        throw new ApiError({
          code: 'invalid_input',
          message: `Invalid settings: ${next.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        });
      }
      store.write(next.data);
      current = next.data;
      events.emit('settings.changed', current);
      for (const l of listeners) l(current);
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
