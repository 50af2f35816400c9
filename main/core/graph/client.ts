import { GraphError, networkError, type GraphErrorBody } from './errors';
import { parseUsage, type Usage } from './usage';

export interface GraphClientOptions {
  /** e.g. https://graph.facebook.com or the simulator's URL; no trailing slash. */
  baseUrl: string;
  /** Pinned version put in every path, e.g. v25.0. */
  version: string;
  /** Per-request timeout; a timeout is a retryable GraphError (status 0). */
  timeoutMs?: number;
  /** Sees usage headers of every response, so schedulers can slow down before a throttle. */
  onUsage?: (usage: Usage) => void;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface GraphRequest {
  /** Path under the version, e.g. `123/leads` or `me/accounts`; a full URL (paging.next) is used as is. */
  path: string;
  token: string;
  method?: 'GET' | 'POST' | 'DELETE';
  query?: Query;
  /** JSON body for POST. */
  body?: unknown;
}

export interface Paged<T> {
  data: T[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string; previous?: string };
}

/**
 * A small Graph API client: versioned URLs, bearer tokens in the Authorization header (never in
 * URLs we log), Meta's error shape turned into GraphError. Retrying is the caller's decision,
 * made from GraphError.action.
 */
export class GraphClient {
  /** Where the API lives: a token is sent nowhere else. */
  private readonly origin: string;

  constructor(private readonly opts: GraphClientOptions) {
    this.origin = new URL(opts.baseUrl).origin;
  }

  async request<T>(req: GraphRequest): Promise<T> {
    const url = this.url(req.path, req.query);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.opts.timeoutMs ?? 20_000);
    let res: Response;
    try {
      res = await fetch(url, {
        method: req.method ?? 'GET',
        headers: {
          authorization: `Bearer ${req.token}`,
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        signal: controller.signal,
      });
    } catch (e) {
      throw networkError(e);
    } finally {
      clearTimeout(timer);
    }
    const usage = parseUsage(res.headers);
    this.opts.onUsage?.(usage);
    const text = await res.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const errorBody = (json as { error?: GraphErrorBody } | null)?.error;
    if (!res.ok || errorBody) {
      throw new GraphError({
        status: res.status,
        body: errorBody ?? null,
        retryAfterMs: usage.regainAccessMs,
        message: errorBody?.message ?? `Graph API HTTP ${res.status}`,
      });
    }
    return json as T;
  }

  get<T>(path: string, token: string, query?: Query): Promise<T> {
    return this.request<T>({ path, token, query });
  }

  post<T>(path: string, token: string, body?: unknown, query?: Query): Promise<T> {
    return this.request<T>({ path, token, method: 'POST', body, query });
  }

  delete<T>(path: string, token: string, query?: Query): Promise<T> {
    return this.request<T>({ path, token, method: 'DELETE', query });
  }

  /** Follows `paging.next` to the end, yielding one page of rows at a time. */
  async *pages<T>(path: string, token: string, query?: Query): AsyncGenerator<T[]> {
    let next: string | undefined = this.url(path, query);
    while (next) {
      const page: Paged<T> = await this.request<Paged<T>>({ path: next, token });
      yield page.data ?? [];
      next = page.paging?.next;
    }
  }

  url(path: string, query?: Query): string {
    const url = /^https?:\/\//.test(path)
      ? new URL(path)
      : new URL(`${this.opts.baseUrl}/${this.opts.version}/${path.replace(/^\/+/, '')}`);
    // A full URL comes from a response (paging.next): the token goes only where the API lives.
    if (url.origin !== this.origin) {
      throw new Error(`Refusing to send a Graph API token to ${url.origin} (the API is at ${this.origin}).`);
    }
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    // A paging.next URL from Meta carries access_token; we send the token as a header instead.
    url.searchParams.delete('access_token');
    return url.toString();
  }
}
