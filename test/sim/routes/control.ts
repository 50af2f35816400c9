import type { SimContext } from '../context';
import { leadRendererFor } from './leads';
import type { FaultSpec } from '../faults';
import type { Req, Reply } from '../http';

/**
 * The HTTP mirror of `sim.control` under `/_sim/...` (JSON in, JSON out), for the CLI and for
 * tests in other processes. Every route is one control method; docs/simulator.md lists them.
 */
type Body = Record<string, unknown>;
type Handler = (sim: SimContext, body: Body, req: Req) => unknown;

const routes: Record<string, Handler> = {
  'GET state': (sim) => summary(sim),
  'POST users': (sim, b) => {
    const user = sim.control.createUser(b as never);
    return { ...user, token: sim.control.userToken(user.id) };
  },
  'POST tokens': (sim, b) => ({
    token: sim.control.userToken(b.userId as string | undefined, b as never),
  }),
  'POST tokens/page': (sim, b) => ({
    token: sim.control.pageToken(String(b.pageId), b.userId as string | undefined),
  }),
  'POST tokens/revoke': (sim, b) => ({ revoked: sim.control.revokeToken(b as never) }),
  'POST tokens/expire': (sim, b) => (sim.control.expireToken(String(b.token)), { ok: true }),
  'POST permissions/revoke': (sim, b) => (
    sim.control.revokePermission(String(b.userId), String(b.permission)),
    { ok: true }
  ),
  'POST pages': (sim, b) => sim.control.createPage(b as never),
  'POST apps/remove': (sim, b) => (sim.control.removeApp(String(b.userId)), { ok: true }),
  'POST pages/unsubscribe': (sim, b) => (
    sim.control.unsubscribePage(String(b.pageId)),
    { ok: true }
  ),
  'POST pages/role/remove': (sim, b) => (
    sim.control.removePageRole(String(b.userId), String(b.pageId)),
    { ok: true }
  ),
  'POST forms': (sim, b) => sim.control.createForm(b as never),
  'POST leads': (sim, b) => sim.control.createLead(b as never),
  'POST leads/bulk': (sim, b) => {
    const formId = String(b.formId);
    // renderFields (benchmarks): a Graph `fields` list whose answers are rendered now, as Meta
    // serves them from its own stores. Checked before any lead is made.
    const render = typeof b.renderFields === 'string' ? leadRendererFor(sim, b.renderFields) : null;
    const created = sim.control.createLeads(formId, Number(b.count ?? 100), b as never);
    if (render) sim.state.forms.get(formId)!.leads.all().forEach(render);
    return { created };
  },
  'GET faults': (sim) => sim.faults.list(),
  'POST faults': (sim, b) => ({ id: sim.control.injectFault(b as unknown as FaultSpec) }),
  'DELETE faults': (sim) => (sim.control.clearFaults(), { ok: true }),
  'POST usage': (sim, b) => (sim.control.setUsage(b as never), { ok: true }),
  'GET calls': (sim, _b, req) =>
    sim.control.calls({ path: req.params.path, method: req.params.method }),
  'GET webhooks': (sim) => sim.webhooks.records,
  'POST webhooks': (sim, b) => configureWebhooks(sim, b),
  'POST webhooks/verify': (sim, b) => sim.control.verifyWebhook(String(b.verifyToken ?? '')),
  'GET oauth/auto': (sim, _b, req) => setAuto(sim, req.params.on),
  'POST oauth/auto': (sim, b, req) => setAuto(sim, b.on ?? req.params.on),
  'POST oauth/user': (sim, b) => (sim.control.setBrowserUser(String(b.userId)), { ok: true }),
  'POST time/advance': (sim, b) => (
    sim.control.advanceTime(Number(b.ms ?? 0)),
    { now: sim.state.nowMs() }
  ),
  'POST scenario': (sim, b) => sim.control.loadScenario(b as never),
  'GET sent': (sim) => sim.control.sent(),
  'POST messenger/inbound': (sim, b) => sim.control.inboundMessage(b as never),
  'POST messenger/echo': (sim, b) => sim.control.echoMessage(b as never),
  'POST messenger/delivery': (sim, b) => sim.control.messengerDelivery(b as never),
  'POST messenger/read': (sim, b) => sim.control.messengerRead(b as never),
  'POST messenger/postback': (sim, b) => sim.control.messengerPostback(b as never),
  'POST messenger/reaction': (sim, b) => sim.control.messengerReaction(b as never),
  'POST whatsapp/accounts': (sim, b) => sim.control.createWhatsApp(b as never),
  'POST whatsapp/inbound': (sim, b) => sim.control.whatsappInbound(b as never),
  'POST whatsapp/status': (sim, b) => sim.control.whatsappStatus(b as never),
  'POST capi/datasets': (sim, b) => sim.control.createDataset(b as never),
  'GET capi/events': (sim) => sim.control.capiEvents(),
};

function setAuto(sim: SimContext, on: unknown): unknown {
  const value =
    on === undefined ? true : !(on === false || on === 'false' || on === '0' || on === 0);
  sim.control.setOAuthAutoApprove(value);
  return { oauthAutoApprove: value };
}

function configureWebhooks(sim: SimContext, b: Body): unknown {
  const { flushed } = sim.control.configureWebhooks(b as never);
  return { url: sim.webhooks.url, deauthorizeUrl: sim.settings.deauthorizeUrl, flushed };
}

function summary(sim: SimContext): unknown {
  const s = sim.state;
  return {
    url: sim.baseUrl(),
    appId: s.appId,
    now: s.nowMs(),
    defaultUserId: sim.settings.browserUserId,
    oauthAutoApprove: sim.settings.oauthAutoApprove,
    webhookUrl: sim.webhooks.url,
    users: [...s.users.values()].map((u) => ({
      id: u.id,
      name: u.name,
      system: u.system,
      pages: [...u.pages.keys()],
      wabas: [...u.wabaIds],
    })),
    pages: [...s.pages.values()].map((p) => ({
      id: p.id,
      name: p.name,
      instagramId: p.igAccount?.id ?? null,
      forms: p.formIds,
      subscribedFields: p.subscribed.get(s.appId) ?? [],
    })),
    forms: s.forms.size,
    leads: s.leads.size,
    conversations: s.conversations.size,
    wabas: [...s.wabas.values()].map((w) => ({ id: w.id, name: w.name, phoneNumbers: w.phoneIds })),
    datasets: [...s.datasets.keys()],
  };
}

export async function handleControl(sim: SimContext, req: Req): Promise<Reply> {
  const key = `${req.method} ${req.segments.slice(1).join('/')}`;
  const handler = routes[key];
  if (!handler)
    return { status: 404, json: { error: `no control route ${key}`, routes: Object.keys(routes) } };
  const body = (req.json && typeof req.json === 'object' ? req.json : {}) as Body;
  try {
    const result = await handler(sim, body, req);
    return { json: result ?? { ok: true } };
  } catch (e) {
    return { status: 400, json: { error: e instanceof Error ? e.message : String(e) } };
  }
}
