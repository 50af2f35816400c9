import { afterEach, expect, it } from 'vitest';
import { startRelayProcess, type RelayProcess } from '../chaos/relayProcess';
import { APP_SECRET, VERIFY_TOKEN, TestClient, bindDirect, leadgenBody, postWebhook, register, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let relay: RelayProcess;

afterEach(async () => {
  await relay?.stop();
  tmp?.cleanup();
});

it('kill -9 during a stream of signed POSTs: every POST that got 200 is delivered after restart', async () => {
  tmp = tempDir();
  relay = await startRelayProcess({
    dataDir: tmp.dir,
    appId: 'app-1',
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    graphApiUrl: 'http://127.0.0.1:9',
  });
  const install = await register(relay.url);
  await relay.stop();
  bindDirect(tmp.dir, install.installId, 'page', 'page-1');
  await relay.restart();

  // Eight writers post without pause; the relay is killed once 300 POSTs were answered 200.
  const acknowledged: string[] = [];
  let next = 0;
  let killed = false;
  const writers = Array.from({ length: 8 }, async () => {
    while (!killed) {
      const leadId = `lead-${next++}`;
      try {
        if ((await postWebhook(relay.url, leadgenBody('page-1', leadId))) === 200) acknowledged.push(leadId);
      } catch {
        // Connection reset by the kill: this POST was never acknowledged, so Meta would retry it.
      }
    }
  });
  while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 5));
  await relay.kill();
  killed = true;
  await Promise.all(writers);
  expect(relay.running).toBe(false);

  await relay.restart();
  const client = await TestClient.connect(relay.url, install.bearer);
  // Ack as a desktop does after each commit, so the window keeps moving.
  client.ws.on('message', () => {
    const last = client.events().at(-1);
    if (last) client.ack(last.seq);
  });
  client.hello(null);
  await client.until(() => client.frames[0]?.type === 'welcome', 'welcome');
  const head = (client.frames[0] as { headSeq: number }).headSeq;
  await client.until(() => client.events().length === head, 'every stored event');
  const delivered = new Set(
    client.events().map((e) => (JSON.parse(e.raw) as { changes: { value: { leadgen_id: string } }[] }).changes[0]!.value.leadgen_id),
  );
  const lost = acknowledged.filter((id) => !delivered.has(id));
  expect(lost).toEqual([]);
  expect(delivered.size).toBe(head);
  expect(head).toBeGreaterThanOrEqual(acknowledged.length);
  await client.close();
});
