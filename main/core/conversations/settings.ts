import { conversationSettingsSchema, type ConversationSettings } from '../../../shared/index';
import type { Db } from '../store/db';
import { kvGet, kvSet } from '../store/kv';

const key = 'conversations.settings';
export const defaultConversationSettings: ConversationSettings = { markReadOnOpen: true, humanAgentTag: true };

/** The conversation-only preferences; notification previews come from the app's settings. */
export function readConversationSettings(db: Db): ConversationSettings {
  const raw = kvGet(db, key);
  const parsed = conversationSettingsSchema.partial().safeParse(raw ? JSON.parse(raw) : {});
  return { ...defaultConversationSettings, ...(parsed.success ? parsed.data : {}) };
}

export function updateConversationSettings(db: Db, patch: Partial<ConversationSettings>): ConversationSettings {
  const next = { ...readConversationSettings(db), ...patch };
  kvSet(db, key, JSON.stringify(next));
  return next;
}
