import { z } from 'zod';
import { settingsPatchSchema, settingsSchema } from '../domain/settings';
import { method } from './method';

export const settingsMethods = {
  'settings.get': method(z.object({}).default({}), settingsSchema),
  /** Partial update; answers with the full settings after the change. */
  'settings.update': method(settingsPatchSchema, settingsSchema),
};

export const settingsEvents = {
  'settings.changed': settingsSchema,
};
