import { checkAppSecretProof, validateToken } from './auth';
import { handleBatch, handleIds } from './batch';
import { kindOf, type GraphRoute, type SimContext } from './context';
import { fail, GraphFail, traceId, type MetaErrorBody } from './errors';
import { faultResponse } from './faults';
import { FieldsSyntaxError } from './fields';
import type { Req, Reply } from './http';
import type { SimToken } from './model';
import { appRoutes } from './routes/app';
import { capiRoutes } from './routes/capi';
import { leadRoutes } from './routes/leads';
import { messengerRoutes } from './routes/messenger';
import { oauthGraph } from './routes/oauth';
import { pageRoutes } from './routes/pages';
import { testLeadRoutes } from './routes/testLeads';
import { whatsappRoutes } from './routes/whatsapp';

const routes: GraphRoute[] = [
  ...pageRoutes,
  ...leadRoutes,
  ...testLeadRoutes,
  ...messengerRoutes,
  ...whatsappRoutes,
  ...capiRoutes,
  ...appRoutes,
];
const nodeTypeNames: Record<string, string> = {
  page: 'Page',
  form: 'LeadgenForm',
  lead: 'UserLeadGenInfo',
  user: 'User',
  conversation: 'UnifiedThread',
  message: 'Message',
  person: 'User',
  igAccount: 'IGUser',
  waba: 'WhatsAppBusinessAccount',
  phone: 'WhatsAppBusinessPhoneNumber',
  media: 'WhatsAppBusinessMedia',
  dataset: 'AdsPixel',
  app: 'Application',
};

/**
 * One Graph API call: fault switches first (they model Meta being unhappy before it even looks at
 * the request), then the token, then the route. Every call is recorded for tests.
 */
export async function handleGraph(sim: SimContext, req: Req): Promise<Reply> {
  const path = req.segments.join('/');
  const { state } = sim;
  const tokenRec = req.token ? state.tokens.get(req.token) : undefined;
  const pageId = (req.segments[0] && state.pageOf(req.segments[0])) ?? tokenRec?.pageId ?? null;
  let reply: Reply;
  let tokenKind: SimToken['kind'] | null =
    tokenRec?.kind ?? (req.token?.includes('|') ? 'app' : null);
  const fault = sim.faults.take({ method: req.method, path, token: req.token, pageId });
  const injected = fault ? faultResponse(fault, pageId ?? tokenRec?.userId ?? state.appId) : null;
  if (fault && !injected && 'delayMs' in fault.error)
    await new Promise((r) => setTimeout(r, (fault.error as { delayMs: number }).delayMs));
  if (injected) {
    reply = errorReply(injected.status, injected.body, injected.headers);
  } else {
    try {
      const { reply: r, token } = await route(sim, req);
      reply = r;
      if (token) {
        tokenKind = token.kind;
        reply.headers = { ...usageHeaders(sim, token, pageId), ...reply.headers };
      }
    } catch (e) {
      if (e instanceof GraphFail) reply = errorReply(e.status, e.body, e.headers);
      else if (e instanceof FieldsSyntaxError)
        reply = errorReply(400, { message: e.message, type: 'OAuthException', code: 2500 });
      else throw e;
    }
  }
  state.record({
    at: state.nowMs(),
    method: req.method,
    path,
    version: req.version,
    query: Object.fromEntries(
      Object.entries(req.params).filter(([k]) => k !== 'access_token' && !k.startsWith('__')),
    ),
    token: req.token,
    tokenKind,
    status: reply.status ?? 200,
  });
  return reply;
}

async function route(sim: SimContext, req: Req): Promise<{ reply: Reply; token: SimToken | null }> {
  const seg = req.segments;
  if (seg[0] === 'oauth' || seg[0] === 'debug_token')
    return { reply: await oauthGraph(sim, req), token: null };
  if (req.params.__invalid_json) throw fail.param('Invalid JSON in request body');
  const token = validateToken(sim.state, req.token);
  checkAppSecretProof(sim.state, token, req.params, sim.settings.requireAppSecretProof);
  if (seg.length === 0) {
    // Sub-requests go through handleGraph so each one is faulted, checked and recorded on its own.
    if (req.method === 'POST' && req.params.batch !== undefined)
      return { reply: await handleBatch(sim, req, handleGraph), token };
    if (req.method === 'GET' && req.params.ids !== undefined)
      return { reply: await handleIds(sim, req, handleGraph), token };
    throw fail.unknownPath('');
  }
  let id = seg[0]!;
  if (id === 'me') {
    if (token.kind === 'app') throw fail.needsUserContext();
    id = token.kind === 'page' ? token.pageId! : token.userId!;
  }
  if (seg.length > 2) throw fail.unknownPath(seg.slice(2).join('/'));
  const kind = kindOf(sim.state, id);
  if (!kind) throw fail.noObject(id, req.method.toLowerCase());
  const edge = seg[1] ?? null;
  const found = routes.find((r) => r.kind === kind && r.edge === edge && r.method === req.method);
  if (!found) {
    if (edge && !routes.some((r) => r.kind === kind && r.edge === edge))
      throw fail.unknownField(edge, nodeTypeNames[kind] ?? kind);
    throw fail.noObject(id, req.method.toLowerCase());
  }
  return { reply: await found.handle({ sim, req, token, id, kind, edge }), token };
}

export { traceId };

export function errorReply(
  status: number,
  body: MetaErrorBody,
  headers: Record<string, string> = {},
): Reply {
  const full = { ...body, fbtrace_id: body.fbtrace_id ?? traceId() };
  const h = { ...headers };
  if (body.code === 190)
    h['www-authenticate'] =
      `OAuth "Facebook Platform" "invalid_token" "${body.message.replace(/"/g, "'")}"`;
  return { status, json: { error: full }, headers: h };
}

/** Page and system-user calls count under BUC limits, user/app calls under platform limits (§6). */
function usageHeaders(
  sim: SimContext,
  token: SimToken,
  pageId: string | null,
): Record<string, string> {
  const u = sim.settings.usage;
  if (token.kind === 'page' || token.kind === 'system_user') {
    const id = pageId ?? token.pageId ?? token.userId ?? sim.state.appId;
    return {
      'x-business-use-case-usage': JSON.stringify({
        [id]: [{ type: 'pages', ...u, estimated_time_to_regain_access: 0 }],
      }),
    };
  }
  return { 'x-app-usage': JSON.stringify(u) };
}
