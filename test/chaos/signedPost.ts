/**
 * POSTs a body to the relay's /webhooks/meta signed exactly as Meta signs it (HMAC-SHA256 of the
 * raw bytes with the app secret), so fuzz and chaos inputs get past the signature check and reach
 * the parser, the splitter and the durable log.
 */
import http from 'node:http';
import { signBody } from '../../relay/verify';

export interface PostResult {
  /** 0 = no HTTP status (connection refused or reset: the relay was down or died mid-request). */
  status: number;
  text: string;
}

export function postSigned(
  relayUrl: string,
  body: string | Buffer,
  appSecret: string,
  opts: { agent?: http.Agent; timeoutMs?: number; signature?: string } = {},
): Promise<PostResult> {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const target = new URL('/webhooks/meta', relayUrl);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: opts.agent,
        timeout: opts.timeoutMs ?? 10_000,
        headers: {
          'content-type': 'application/json',
          'content-length': buf.length,
          'x-hub-signature-256': opts.signature ?? signBody(buf, appSecret),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => resolve({ status: 0, text: 'response error' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, text: e.message }));
    req.end(buf);
  });
}

/** One leadgen delivery exactly as Meta sends it (meta-platform.md §2.5): ids only, no field
 * data; organic leads carry no ad ids. */
export function leadgenDelivery(
  pageId: string,
  leadIds: string[],
  createdTime = Math.floor(Date.now() / 1000),
): string {
  return JSON.stringify({
    object: 'page',
    entry: leadIds.map((id) => ({
      id: pageId,
      time: createdTime * 1000,
      changes: [
        {
          field: 'leadgen',
          value: {
            leadgen_id: id,
            page_id: pageId,
            form_id: `${pageId}0001`,
            created_time: createdTime,
          },
        },
      ],
    })),
  });
}
