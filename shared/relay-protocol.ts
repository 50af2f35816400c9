/**
 * Frames between a desktop install and the relay over WebSocket (JSON text frames), plus the
 * HTTP bodies of the install/binding/OAuth endpoints. Both sides validate every frame with these
 * schemas; docs/relay-protocol.md explains ordering and ack rules.
 *
 * Auth: the install opens `GET /v1/stream` with `Authorization: Bearer <installId>.<secret>`;
 * a wrong or unknown token gets HTTP 401 before the upgrade, so no event is ever sent to it.
 * `registerResponse.token` is that whole credential (`<installId>.<secret>`): send `Bearer <token>`.
 */
import { z } from 'zod';

export const assetKindSchema = z.enum(['page', 'instagram', 'whatsapp']);
export type AssetKind = z.infer<typeof assetKindSchema>;

/** The routing key of one event: which Meta asset it belongs to. `app` = not tied to an asset. */
export const routingKindSchema = z.enum(['page', 'instagram', 'whatsapp', 'permissions', 'unknown']);
export type RoutingKind = z.infer<typeof routingKindSchema>;

// ---- desktop → relay ----
export const helloFrame = z.object({
  type: z.literal('hello'),
  /**
   * Highest seq this install has committed; null on first connect (the relay then resumes after
   * the last seq it saw acked, so a client that lost its cursor is not sent acked events again).
   */
  cursor: z.number().int().min(0).nullable(),
  /** Client software version, for logs and compatibility decisions. */
  client: z.string().max(64).optional(),
});
/** Cumulative: every event with seq <= this is committed on the desktop. */
export const ackFrame = z.object({ type: z.literal('ack'), seq: z.number().int().min(0) });
export const pingFrame = z.object({ type: z.literal('ping'), t: z.number() });
export const pongFrame = z.object({ type: z.literal('pong'), t: z.number() });

export const clientFrame = z.discriminatedUnion('type', [helloFrame, ackFrame, pingFrame, pongFrame]);
export type ClientFrame = z.infer<typeof clientFrame>;

// ---- relay → desktop ----
export const welcomeFrame = z.object({
  type: z.literal('welcome'),
  installId: z.string(),
  /** Highest seq the relay has for this install right now. */
  headSeq: z.number().int().min(0),
  /** Events after the client's cursor still to come (the backlog shown in the UI). */
  backlog: z.number().int().min(0),
  /** Both sides ping at this interval; silence for 2.5x this means the peer is dead. */
  heartbeatMs: z.number().int().positive(),
});

export const eventFrame = z.object({
  type: z.literal('event'),
  /** Per-install monotonically increasing sequence number. */
  seq: z.number().int().min(1),
  receivedAt: z.number(),
  /** Meta's `object` of the delivery: page, instagram, whatsapp_business_account, permissions… */
  object: z.string(),
  kind: routingKindSchema,
  /** Asset id the event is routed by (page id, IG account id, WABA / phone number id, user id). */
  assetId: z.string(),
  /**
   * The exact bytes of this entry as Meta sent them (one element of the delivery's `entry[]`),
   * never re-serialised.
   */
  raw: z.string(),
});
export type EventFrame = z.infer<typeof eventFrame>;

/** The client's cursor is older than anything the relay still holds: run a full reconciliation. */
export const gapFrame = z.object({
  type: z.literal('gap'),
  cursor: z.number().int().min(0).nullable(),
  oldestSeq: z.number().int().min(0),
  /** Events that fell out of the retention window and will never be delivered. */
  dropped: z.number().int().min(0),
});

export const relayErrorCodes = ['unauthorized', 'bad_frame', 'session_expired', 'shutting_down'] as const;
/**
 * WebSocket close codes the relay uses. 1001: relay shutting down (reconnect with backoff);
 * 4000: a frame was not valid protocol; 4001: session expired; 4002: a newer connection of the same
 * install replaced this one (do not fight it: the newer one is live). Heartbeat deaths are plain
 * terminations (1006 on the client).
 */
export const relayCloseCodes = {
  shuttingDown: 1001,
  badFrame: 4000,
  sessionExpired: 4001,
  replaced: 4002,
} as const;

export const errorFrame = z.object({
  type: z.literal('error'),
  code: z.enum(relayErrorCodes),
  message: z.string(),
});

export const serverFrame = z.discriminatedUnion('type', [
  welcomeFrame,
  eventFrame,
  gapFrame,
  errorFrame,
  pingFrame,
  pongFrame,
]);
export type ServerFrame = z.infer<typeof serverFrame>;

// ---- HTTP bodies ----
/** POST /v1/installs → */
export const registerResponse = z.object({ installId: z.string(), token: z.string() });

/** POST /v1/bindings (auth: install bearer). The relay checks `accessToken` against the Graph API. */
export const bindRequest = z.object({
  kind: assetKindSchema,
  assetId: z.string().min(1).max(64),
  accessToken: z.string().min(1).max(2048),
});
/** DELETE /v1/bindings (auth: install bearer). */
export const unbindRequest = z.object({ kind: assetKindSchema, assetId: z.string().min(1).max(64) });
/** Answer of POST and DELETE /v1/bindings (200). */
export const bindResponse = z.object({ kind: assetKindSchema, assetId: z.string(), bound: z.boolean() });

/**
 * Every non-2xx JSON answer of the /v1 endpoints: `{error: {code, message}}`. Codes:
 * invalid_input (400), too_large (413), unauthorized (401), forbidden (403: the token does not give
 * access to the asset, or a wrong PKCE verifier), not_found (404), state_in_use (409),
 * rate_limited (429, with Retry-After), graph_unavailable / exchange_failed (502: retry later),
 * shutting_down (503), internal (500).
 */
export const relayHttpErrorCodes = [
  'invalid_input',
  'bad_request',
  'too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'state_in_use',
  'rate_limited',
  'graph_unavailable',
  'exchange_failed',
  'shutting_down',
  'internal',
] as const;
export const relayHttpError = z.object({
  error: z.object({ code: z.enum(relayHttpErrorCodes), message: z.string() }),
});

/**
 * OAuth broker. The desktop registers a login attempt (state + where Meta will redirect), opens
 * Meta's dialog in the system browser, Meta redirects to the relay's `/oauth/callback`, and the
 * install that registered the state claims the token with its PKCE verifier.
 */
export const oauthStartRequest = z.object({
  state: z.string().min(16).max(128),
  codeChallenge: z.string().min(43).max(128),
});
export const oauthStartResponse = z.object({ redirectUri: z.string() });
export const oauthClaimRequest = z.object({
  state: z.string().min(16).max(128),
  codeVerifier: z.string().min(43).max(128),
});
export const oauthClaimResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('denied'), reason: z.string() }),
  z.object({
    status: z.literal('ok'),
    accessToken: z.string(),
    /** Seconds; 0 = no expiry. */
    expiresIn: z.number(),
  }),
]);

/** POST /v1/debug-token (auth: install bearer): the relay calls debug_token with its app token. */
export const debugTokenRequest = z.object({ inputToken: z.string().min(1).max(2048) });
export const debugTokenResponse = z.object({
  isValid: z.boolean(),
  expiresAt: z.number(),
  dataAccessExpiresAt: z.number(),
  scopes: z.array(z.string()),
  userId: z.string().nullable(),
});
