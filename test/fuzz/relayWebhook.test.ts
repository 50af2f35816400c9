/**
 * Hostile but correctly signed bodies at the relay's /webhooks/meta: the parser and the entry
 * splitter must refuse what is not Meta's envelope (400, nothing stored, a log line with the
 * reason), store what is (with each entry's exact bytes), never crash, and keep accepting the
 * valid deliveries sent between the bad ones.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay, type Relay } from '../../relay/server';
import { leadgenDelivery, postSigned } from '../chaos/signedPost';
import { deepJsonText, jsonWrongTyped, nastyString } from './arbitraries';
import { recordingLogger } from './coreFixture';

const appSecret = 'fuzz-app-secret-0123456789abcdef';
let relay: Relay;
let dir: string;
let reader: Database.Database;
const log = recordingLogger();
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let validSent = 0;

const storedCount = () =>
  (reader.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
const post = (body: string | Buffer) => postSigned(relay.url, body, appSecret, { agent });

/** After each hostile request, a valid delivery must still be accepted and stored. */
async function validStillWorks(): Promise<void> {
  const before = storedCount();
  const r = await post(leadgenDelivery('1001', [`9${validSent++}`]));
  expect(r.status).toBe(200);
  expect(storedCount()).toBe(before + 1);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lead-inbox-relay-fuzz-'));
  relay = await createRelay({
    dataDir: dir,
    appId: 'fuzz-app',
    appSecret,
    verifyToken: 'fuzz-verify',
    graphApiUrl: 'http://127.0.0.1:9',
    log,
  });
  reader = new Database(join(dir, 'relay.sqlite'), { readonly: true });
});

afterAll(async () => {
  reader?.close();
  agent.destroy();
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** JSON text of a value, or a non-JSON fragment: what a broken sender might put on the wire. */
const notEnvelope = fc.oneof(
  jsonWrongTyped.map((v) => JSON.stringify(v)),
  fc.record({ object: jsonWrongTyped, entry: jsonWrongTyped }).map((v) => JSON.stringify(v)),
  fc
    .record({
      object: fc.constantFrom('page', 'instagram', 'whatsapp_business_account'),
      entry: fc.array(
        fc.oneof(fc.integer(), nastyString, fc.constant(null), fc.array(fc.integer())),
        { minLength: 1, maxLength: 5 },
      ),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.boolean())
    .map(([d, obj]) => `{"object":"page","entry":[${deepJsonText(d, obj)}]}`),
  nastyString,
  fc.uint8Array({ minLength: 1, maxLength: 512 }).map((b) => Buffer.from(b)),
);

describe('relay /webhooks/meta under hostile signed bodies', () => {
  it('answers 400 to anything that is not Meta envelope JSON, stores nothing and logs why', async () => {
    await fc.assert(
      fc.asyncProperty(notEnvelope, async (body) => {
        const buf = typeof body === 'string' ? Buffer.from(body) : body;
        let isEnvelope = false;
        try {
          const doc = JSON.parse(buf.toString('utf8')) as { object?: unknown; entry?: unknown };
          isEnvelope =
            typeof doc?.object === 'string' &&
            Array.isArray(doc.entry) &&
            doc.entry.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e));
        } catch {
          isEnvelope = false;
        }
        fc.pre(!isEnvelope);
        const before = storedCount();
        const logged = log.lines.length;
        const r = await post(buf);
        expect(r.status).toBe(400);
        expect(storedCount()).toBe(before);
        const line = log.lines.slice(logged).find((l) => l.msg === 'webhook rejected');
        expect(line?.fields).toMatchObject({ status: 400 });
        await validStillWorks();
      }),
      { numRuns: 250 },
    );
  });

  it('answers 400 to every truncation of a valid delivery', async () => {
    const full = leadgenDelivery('1002', ['1', '2', '3']);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: full.length - 1 }), async (cut) => {
        const before = storedCount();
        const r = await post(full.slice(0, cut));
        expect(r.status).toBe(400);
        expect(storedCount()).toBe(before);
      }),
      { numRuns: 200 },
    );
    await validStillWorks();
  });

  it('stores each entry of a strange but valid envelope with its exact bytes', async () => {
    // Entries hand-serialised with odd whitespace, escapes and brackets inside strings: the
    // splitter must cut at the real element boundaries and keep the bytes Meta signed.
    const entryText = fc
      .tuple(nastyString, fc.constantFrom('', ' ', '\n\t '), fc.boolean(), jsonWrongTyped)
      .map(([s, ws, escapeAll, extra]) => {
        const text = escapeAll
          ? JSON.stringify(s).replace(
              /[\u007f-\uffff]/g,
              (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
            )
          : JSON.stringify(s);
        return `{${ws}"id"${ws}:${ws}"2001",${ws}"note":${text},"brackets":"]}[{\\"\\\\","extra":${JSON.stringify(extra)}${ws}}`;
      });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'page',
          'instagram',
          'whatsapp_business_account',
          'permissions',
          'user',
          '💥',
        ),
        fc.array(entryText, { minLength: 1, maxLength: 6 }),
        async (object, entries) => {
          const body = `{"object":${JSON.stringify(object)} , "entry" : [ ${entries.join(' ,\n')} ] }`;
          const lastId = (
            reader.prepare('SELECT coalesce(max(id), 0) AS id FROM events').get() as { id: number }
          ).id;
          const r = await post(body);
          expect(r.status).toBe(200);
          const rows = reader
            .prepare('SELECT raw FROM events WHERE id > ? ORDER BY id')
            .all(lastId) as { raw: string }[];
          expect(rows.map((x) => x.raw)).toEqual(entries);
        },
      ),
      { numRuns: 200 },
    );
    await validStillWorks();
  });

  it('answers 413 to a body over 10 MiB and stores nothing', async () => {
    const before = storedCount();
    const entry = JSON.stringify({ id: '1003', note: 'x'.repeat(1024 * 1024) });
    const body = `{"object":"page","entry":[${Array.from({ length: 11 }, () => entry).join(',')}]}`;
    const r = await post(body);
    expect(r.status).toBe(413);
    expect(storedCount()).toBe(before);
    await validStillWorks();
  });

  it('is still healthy after the whole storm', async () => {
    const res = await fetch(`${relay.url}/healthz`);
    expect(res.status).toBe(200);
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
