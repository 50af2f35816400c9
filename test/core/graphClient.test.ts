import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphClient } from '../../main/core/graph/client';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A loopback HTTP server answering every request with `body(url)`; records what it was sent. */
async function serve(body: (url: string) => unknown) {
  const seen: { url: string; authorization: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body(req.url ?? '')));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('GraphClient paging', () => {
  it('follows paging.next on the API host, with the token as a header and not in the URL', async () => {
    let base = '';
    const api = await serve((url) =>
      url.includes('after=p2')
        ? { data: [{ id: '3' }] }
        : { data: [{ id: '1' }, { id: '2' }], paging: { next: `${base}/v25.0/9/leads?access_token=leaked&after=p2` } },
    );
    base = api.url;
    const seen = api.seen;
    const graph = new GraphClient({ baseUrl: api.url, version: 'v25.0' });
    const rows: string[] = [];
    for await (const page of graph.pages<{ id: string }>('9/leads', 'page-token')) rows.push(...page.map((r) => r.id));
    expect(rows).toEqual(['1', '2', '3']);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer page-token', 'Bearer page-token']);
    expect(seen.some((s) => s.url.includes('access_token'))).toBe(false);
  });

  it('refuses to send the token to another host that a paging.next names', async () => {
    const elsewhere = await serve(() => ({ data: [{ id: 'x' }] }));
    const api = await serve(() => ({ data: [{ id: '1' }], paging: { next: `${elsewhere.url}/v25.0/9/leads?after=p2` } }));
    const graph = new GraphClient({ baseUrl: api.url, version: 'v25.0' });
    const rows: string[] = [];
    await expect(
      (async () => {
        for await (const page of graph.pages<{ id: string }>('9/leads', 'page-token')) rows.push(...page.map((r) => r.id));
      })(),
    ).rejects.toThrow(/Refusing to send a Graph API token/);
    expect(rows).toEqual(['1']);
    expect(elsewhere.seen).toEqual([]);
  });
});
