/**
 * Where each secret lives in the OS keychain. Service: "Lead Inbox" (tests use a throwaway service).
 * Accounts:
 *   user:<fbUserId>          long-lived Facebook user token of one connected login
 *   page:<pageId>            page access token (derived from the user token; used for leads, webhooks)
 *   whatsapp:<phoneNumberId> system-user token pasted for a WhatsApp Business number
 *   capi:<datasetId>         optional system-user token for the Conversions API dataset
 *   relay:install            this install's relay bearer token (`<installId>.<secret>`)
 * SQLite and the settings file hold only ids, names and state.
 */
export const keychainService = 'Lead Inbox';

const capiPrefix = 'capi:';

export const keychainAccounts = {
  user: (fbUserId: string) => `user:${fbUserId}`,
  page: (pageId: string) => `page:${pageId}`,
  whatsapp: (phoneNumberId: string) => `whatsapp:${phoneNumberId}`,
  capi: (datasetId: string) => `${capiPrefix}${datasetId}`,
  capiPrefix,
  relayInstall: 'relay:install',
} as const;
