/**
 * The relay's install API (bindings, OAuth broker, debug_token) under hostile bodies and hostile
 * bearer headers: every request is refused with a 4xx (or 502 when a well-formed request needs a
 * Graph API that is not there), never a 500, nothing is bound, and the relay keeps serving.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../relay/logger';
import {
  bindRequest,
  debugTokenRequest,
  oauthClaimRequest,
  oauthStartRequest,
  unbindRequest,
} from '../../shared/relay-protocol';
import { createRelay, type Relay } from '../../relay/server';
import { deepJsonText, jsonWrongTyped, nastyString } from './arbitraries';

let relay: Relay;
let dir: string;
let reader: Database.Database;
let bearer = '';

const bindingCount = () =>
  (reader.prepare('SELECT count(*) AS n FROM bindings').get() as { n: number }).n;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lead-inbox-relay-api-fuzz-'));
  relay = await createRelay({
    dataDir: dir,
    appId: 'fuzz-app',
    appSecret: 'fuzz-app-secret-api',
    verifyToken: 'fuzz-verify',
    // Nothing listens here: a well-formed binding cannot be proved, so nothing can be bound.
    graphApiUrl: 'http://127.0.0.1:9',
    log: silentLogger,
    rateLimits: { public: { ratePerSec: 10_000, burst: 10_000 } },
  });
  reader = new Database(join(dir, 'relay.sqlite'), { readonly: true });
  const reg = (await (
    await fetch(`${relay.url}/v1/installs`, { method: 'POST', body: '{}' })
  ).json()) as { token: string };
  bearer = `Bearer ${reg.token}`;
});

afterAll(async () => {
  reader?.close();
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

const routes = [
  ['POST', '/v1/bindings', bindRequest],
  ['DELETE', '/v1/bindings', unbindRequest],
  ['POST', '/v1/oauth/start', oauthStartRequest],
  ['POST', '/v1/oauth/claim', oauthClaimRequest],
  ['POST', '/v1/debug-token', debugTokenRequest],
] as const;

/** Whether the relay's own contract accepts this body (then any non-500 answer is fine). */
function wellFormed(schema: (typeof routes)[number][2], text: string): boolean {
  try {
    return schema.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}

const body = fc.oneof(
  jsonWrongTyped.map((v) => JSON.stringify(v)),
  nastyString,
  fc
    .record({
      kind: fc.oneof(jsonWrongTyped, fc.constantFrom('page', 'instagram', 'whatsapp')),
      assetId: jsonWrongTyped,
      accessToken: jsonWrongTyped,
    })
    .map((v) => JSON.stringify(v)),
  fc
    .record({
      state: jsonWrongTyped,
      codeChallenge: jsonWrongTyped,
      codeVerifier: jsonWrongTyped,
      inputToken: jsonWrongTyped,
    })
    .map((v) => JSON.stringify(v)),
  fc
    .integer({ min: 1_000, max: 100_000 })
    .map((d) => `{"kind":"page","assetId":${deepJsonText(d, true)}}`),
  fc
    .integer({ min: 100_000, max: 2_000_000 })
    .map((n) => JSON.stringify({ kind: 'page', assetId: '1', accessToken: 'x'.repeat(n) })),
);

describe('relay install API under hostile input', () => {
  it('refuses malformed bodies with a 4xx, never answers 500, and binds nothing', async () => {
    const before = bindingCount();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async ([method, path, schema], text) => {
        const res = await fetch(`${relay.url}${path}`, {
          method,
          headers: { authorization: bearer, 'content-type': 'application/json' },
          body: text,
        });
        await res.arrayBuffer();
        expect(res.status, `${method} ${path} ${text.slice(0, 120)}`).not.toBe(500);
        if (!wellFormed(schema, text)) expect(res.status).toBeGreaterThanOrEqual(400);
        expect(bindingCount()).toBe(before);
      }),
      { numRuns: 250 },
    );
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
  });

  it('refuses hostile Authorization headers with 401 before reading the body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          fc.string({ maxLength: 200 }).filter((h) => /^[\t\x20-\x7e]*$/.test(h)),
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'Bearer .',
            `${bearer}x`,
            bearer.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
            'Basic Zm9vOmJhcg==',
          ),
        ),
        async ([method, path], header) => {
          fc.pre(header !== bearer);
          const res = await fetch(`${relay.url}${path}`, {
            method,
            headers: { authorization: header },
            body: '{"kind":"page","assetId":"1","accessToken":"t"}',
          });
          await res.arrayBuffer();
          expect(res.status).toBe(401);
        },
      ),
      { numRuns: 150 },
    );
    expect(bindingCount()).toBe(0);
  });
});
