/**
 * A loopback TCP proxy the test controls, standing in for the network between the desktop and
 * the relay: `cut()` resets every connection (cable pulled, Wi-Fi switched), `blackhole()` keeps
 * sockets open but drops every byte both ways (the silent half-dead connection heartbeats must
 * catch), `restore()` lets traffic through again.
 */
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /** Connections accepted since the proxy started (refused ones not counted). */
  readonly accepted: number;
  cut(): void;
  blackhole(): void;
  /** Refuse new connections too (the relay is unreachable), until restore(). */
  refuse(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function createTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let mode: 'pass' | 'blackhole' | 'refuse' = 'pass';
  let accepted = 0;

  const server = net.createServer((client) => {
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect(target.port, target.host ?? '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    // Bytes flow only while the proxy passes traffic; in blackhole mode they are read and dropped.
    client.on('data', (d) => {
      if (mode === 'pass') upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (mode === 'pass') client.write(d);
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;

  const resetAll = () => {
    for (const { client, upstream } of pairs) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
  };

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return pairs.size;
    },
    get accepted() {
      return accepted;
    },
    cut: resetAll,
    blackhole() {
      mode = 'blackhole';
    },
    refuse() {
      mode = 'refuse';
      resetAll();
    },
    restore() {
      mode = 'pass';
    },
    async close() {
      resetAll();
      await new Promise((r) => server.close(r));
    },
  };
}
