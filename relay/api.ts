import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bindRequest,
  debugTokenRequest,
  oauthClaimRequest,
  oauthStartRequest,
  unbindRequest,
} from '../shared/relay-protocol';
import type { BindingIndex } from './bindings';
import { readJson, sendError, sendJson, sendText } from './http';
import type { InstallRegistry } from './installs';
import type { Logger } from './logger';
import type { MetaGraph } from './metaGraph';
import type { OAuthFlows } from './oauth';

export interface ApiDeps {
  installs: InstallRegistry;
  bindings: BindingIndex;
  graph: MetaGraph;
  oauth: OAuthFlows;
  log: Logger;
  now: () => number;
  publicUrl: string;
}

export function redirectUri(deps: ApiDeps): string {
  return `${deps.publicUrl}/oauth/callback`;
}

/** POST /v1/installs: a new install id and its secret; only the hash is kept. */
export function handleRegister(res: ServerResponse, deps: ApiDeps): void {
  const created = deps.installs.create(deps.now());
  deps.log.info('install registered', { installId: created.installId });
  sendJson(res, 201, created);
}

/** Routes for an authenticated install (`Authorization: Bearer <installId>.<token>`). */
export async function handleInstallApi(
  method: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDeps,
): Promise<boolean> {
  const routes: Record<string, ((installId: string) => Promise<void>) | undefined> = {
    'POST /v1/bindings': (id) => bind(id, req, res, deps),
    'DELETE /v1/bindings': (id) => unbind(id, req, res, deps),
    'POST /v1/oauth/start': (id) => oauthStart(id, req, res, deps),
    'POST /v1/oauth/claim': (id) => oauthClaim(id, req, res, deps),
    'POST /v1/debug-token': () => debugToken(req, res, deps),
  };
  const route = routes[`${method} ${path}`];
  if (!route) return false;
  const installId = deps.installs.authenticate(req.headers.authorization);
  if (!installId) {
    sendError(res, 401, 'unauthorized', 'Unknown install or wrong token.');
    return true;
  }
  await route(installId);
  return true;
}

async function bind(installId: string, req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const body = await readJson(req, res, bindRequest);
  if (!body) return;
  const proof = await deps.graph.proveAccess(body.kind, body.assetId, body.accessToken);
  if (!proof.ok) {
    deps.log.warn('binding refused', { installId, kind: body.kind, assetId: body.assetId, code: proof.code });
    sendError(res, proof.status, proof.code, proof.message);
    return;
  }
  deps.bindings.bind(installId, body.kind, body.assetId, proof.userId, deps.now());
  deps.log.info('binding added', { installId, kind: body.kind, assetId: body.assetId });
  sendJson(res, 200, { kind: body.kind, assetId: body.assetId, bound: true });
}

async function unbind(installId: string, req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const body = await readJson(req, res, unbindRequest);
  if (!body) return;
  const removed = deps.bindings.unbind(installId, body.kind, body.assetId);
  deps.log.info('binding removed', { installId, kind: body.kind, assetId: body.assetId, removed });
  sendJson(res, 200, { kind: body.kind, assetId: body.assetId, bound: false });
}

async function oauthStart(installId: string, req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const body = await readJson(req, res, oauthStartRequest);
  if (!body) return;
  if (!deps.oauth.start(body.state, installId, body.codeChallenge, deps.now())) {
    sendError(res, 409, 'state_in_use', 'This state belongs to another login attempt.');
    return;
  }
  sendJson(res, 200, { redirectUri: redirectUri(deps) });
}

async function oauthClaim(installId: string, req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const body = await readJson(req, res, oauthClaimRequest);
  if (!body) return;
  const outcome = deps.oauth.claim(body.state, installId, body.codeVerifier);
  switch (outcome.status) {
    case 'unknown':
      return sendError(res, 404, 'not_found', 'No login attempt of this install has this state.');
    case 'bad_verifier':
      return sendError(res, 403, 'forbidden', 'The PKCE verifier does not match.');
    case 'pending':
      return sendJson(res, 200, { status: 'pending' });
    case 'denied':
      return sendJson(res, 200, { status: 'denied', reason: outcome.reason });
  }
  try {
    const token = await deps.graph.exchangeCode(outcome.code, redirectUri(deps), body.codeVerifier);
    deps.log.info('oauth code exchanged', { installId });
    sendJson(res, 200, { status: 'ok', accessToken: token.accessToken, expiresIn: token.expiresIn });
  } catch (e) {
    deps.log.warn('oauth exchange failed', { installId, error: (e as { code?: number }).code ?? null });
    sendError(res, 502, 'exchange_failed', 'Meta refused the login code; start the login again.');
  }
}

async function debugToken(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const body = await readJson(req, res, debugTokenRequest);
  if (!body) return;
  try {
    sendJson(res, 200, await deps.graph.debugToken(body.inputToken));
  } catch {
    sendError(res, 502, 'graph_unavailable', 'debug_token failed; try again.');
  }
}

/** GET /oauth/callback: Meta sends the owner's browser here after the login dialog. */
export function handleOAuthCallback(url: URL, res: ServerResponse, deps: ApiDeps): void {
  const state = url.searchParams.get('state') ?? '';
  const code = url.searchParams.get('code');
  const error = url.searchParams.get('error');
  const known = deps.oauth.callback(state, code, code ? null : (error ?? 'missing_code'), deps.now());
  const title = !known ? 'This login link has expired' : code ? 'Connected' : 'Login cancelled';
  const text = !known
    ? 'Start the connection again from Lead Inbox.'
    : 'You can close this tab and return to Lead Inbox.';
  sendText(
    res,
    known ? 200 : 400,
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>Lead Inbox</title>` +
      `<body style="font-family:system-ui;margin:4rem auto;max-width:32rem"><h1>${title}</h1><p>${text}</p></body></html>`,
    'text/html; charset=utf-8',
  );
}
