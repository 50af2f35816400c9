import type { GraphCall, GraphRoute, SimContext } from '../context';
import { fail, GraphFail } from '../errors';

/**
 * App-level webhook subscriptions (meta-platform.md §2.1–2.2): `POST /{app-id}/subscriptions`
 * with the app token sets the callback URL, verify token and fields for an object; Meta first
 * calls the callback with `hub.mode=subscribe&hub.challenge=…&hub.verify_token=…` and accepts it
 * only if the body is the challenge itself. The callback becomes the simulator's webhook target.
 */
export interface AppSubscription {
  object: string;
  callbackUrl: string;
  fields: string[];
}

const subscriptions = new WeakMap<SimContext, Map<string, AppSubscription>>();

function subsOf(sim: SimContext): Map<string, AppSubscription> {
  let m = subscriptions.get(sim);
  if (!m) subscriptions.set(sim, (m = new Map()));
  return m;
}

/** Meta's verification GET; resolves with what the callback answered. */
export async function verifyCallback(
  callbackUrl: string,
  verifyToken: string,
  challenge: string,
): Promise<{ ok: boolean; status: number | null; body: string }> {
  const url = new URL(callbackUrl);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', verifyToken);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    return { ok: res.status === 200 && body === challenge, status: res.status, body };
  } catch (e) {
    return { ok: false, status: null, body: e instanceof Error ? e.message : String(e) };
  }
}

function appOnly(call: GraphCall): void {
  if (call.token.kind !== 'app') {
    throw new GraphFail(400, {
      message: '(#15) This method must be called with an app access_token.',
      type: 'OAuthException',
      code: 15,
    });
  }
}

const objects = new Set([
  'page',
  'instagram',
  'whatsapp_business_account',
  'permissions',
  'user',
  'application',
]);

export const appRoutes: GraphRoute[] = [
  {
    kind: 'app',
    edge: 'subscriptions',
    method: 'POST',
    handle: async (call) => {
      appOnly(call);
      const p = call.req.params;
      if (!p.object || !objects.has(p.object))
        throw fail.param(`Param object must be one of {${[...objects].join(', ')}}`);
      if (!p.callback_url || !/^https?:\/\//.test(p.callback_url))
        throw fail.param('Param callback_url must be a valid URL');
      const challenge = String(call.sim.state.rng.int(100_000_000, 999_999_999));
      const check = await verifyCallback(p.callback_url, p.verify_token ?? '', challenge);
      if (!check.ok) {
        throw new GraphFail(400, {
          message: `(#2200) callback verification failed: ${check.status === null ? check.body : `HTTP Status Code = ${check.status}; HTTP Message = ${check.body.slice(0, 80)}`}`,
          type: 'OAuthException',
          code: 2200,
        });
      }
      const fields = (p.fields ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      subsOf(call.sim).set(p.object, { object: p.object, callbackUrl: p.callback_url, fields });
      call.sim.webhooks.setUrl(p.callback_url);
      return { json: { success: true } };
    },
  },
  {
    kind: 'app',
    edge: 'subscriptions',
    method: 'GET',
    handle: (call) => {
      appOnly(call);
      const data = [...subsOf(call.sim).values()].map((s) => ({
        object: s.object,
        callback_url: s.callbackUrl,
        active: true,
        fields: s.fields.map((name) => ({ name, version: call.sim.defaultVersion })),
      }));
      return { json: { data } };
    },
  },
  {
    kind: 'app',
    edge: 'subscriptions',
    method: 'DELETE',
    handle: (call) => {
      appOnly(call);
      const object = call.req.params.object;
      if (object) subsOf(call.sim).delete(object);
      else subsOf(call.sim).clear();
      if (subsOf(call.sim).size === 0) call.sim.webhooks.setUrl(null);
      return { json: { success: true } };
    },
  },
];
