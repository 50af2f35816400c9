/** Desktop configuration, read from the environment by the hosts and passed in explicitly. */
export interface CoreConfig {
  /** Folder for the SQLite store, media cache and logs. */
  dataDir: string;
  /** Graph API base, e.g. https://graph.facebook.com or the simulator's URL. */
  graphApiUrl: string;
  /** Pinned Graph API version used in every URL (see meta-platform.md §0). */
  graphVersion: string;
  /** Relay base URL (http(s)://host:port); the stream endpoint is derived from it. */
  relayUrl: string | null;
  /** Meta app id, public; the secret stays on the relay. */
  metaAppId: string;
  /** Where Facebook's login dialog lives (META_DIALOG_URL): www.facebook.com, or the simulator. */
  dialogUrl?: string;
}

export const defaultGraphVersion = 'v25.0';

export function configFromEnv(env: NodeJS.ProcessEnv, defaults: { dataDir: string }): CoreConfig {
  return {
    dataDir: env.LEAD_INBOX_DATA_DIR || defaults.dataDir,
    graphApiUrl: (env.GRAPH_API_URL || 'https://graph.facebook.com').replace(/\/+$/, ''),
    graphVersion: env.GRAPH_API_VERSION || defaultGraphVersion,
    relayUrl: env.RELAY_URL ? env.RELAY_URL.replace(/\/+$/, '') : null,
    metaAppId: env.META_APP_ID || '',
    dialogUrl: env.META_DIALOG_URL ? env.META_DIALOG_URL.replace(/\/+$/, '') : undefined,
  };
}
