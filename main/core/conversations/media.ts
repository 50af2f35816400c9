import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../shared/index';
import type { GraphClient } from '../graph/client';
import type { Clock, TokenStore } from '../ports';
import type { Db } from '../store/db';
import { storedAttachments } from './messagesStore';
import { tokenAccount } from './sender';

export interface MediaDeps {
  db: Db;
  graph: GraphClient;
  tokens: TokenStore;
  clock: Clock;
  /** <dataDir>/media */
  dir: string;
  /** Total bytes kept on disk; least recently used files go first. */
  capBytes?: number;
  /** Larger files are not turned into data: URLs (the renderer would choke); the owner opens them on the phone. */
  maxFileBytes?: number;
}

export interface MediaBytes {
  mimeType: string;
  bytes: Buffer;
}

/**
 * Attachments fetched on demand through the API with the account's token, cached on disk under a
 * size cap (LRU). The renderer only ever gets bytes: a WhatsApp media URL must be fetched with the
 * Bearer token and expires in 5 minutes, and a URL with a token must never reach the window.
 */
export function createMediaCache(deps: MediaDeps) {
  const cap = deps.capBytes ?? 256 * 1024 * 1024;
  const maxFile = deps.maxFileBytes ?? 25 * 1024 * 1024;
  mkdirSync(deps.dir, { recursive: true });
  const { db } = deps;

  async function get(messageId: number, index: number): Promise<MediaBytes> {
    const key = `${messageId}-${index}`;
    const hit = db.prepare('SELECT file, mime_type FROM media_cache WHERE key = ?').get(key) as
      | { file: string; mime_type: string }
      | undefined;
    if (hit && existsSync(join(deps.dir, hit.file))) {
      db.prepare('UPDATE media_cache SET last_used_at = ? WHERE key = ?').run(deps.clock.now(), key);
      return { mimeType: hit.mime_type, bytes: readFileSync(join(deps.dir, hit.file)) };
    }
    const fetched = await fetchRemote(messageId, index);
    const file = `${key}.bin`;
    writeFileSync(join(deps.dir, file), fetched.bytes);
    db.prepare(
      `INSERT INTO media_cache(key, file, mime_type, size, last_used_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET file = excluded.file, mime_type = excluded.mime_type, size = excluded.size,
         last_used_at = excluded.last_used_at`,
    ).run(key, file, fetched.mimeType, fetched.bytes.length, deps.clock.now());
    evict();
    return fetched;
  }

  async function fetchRemote(messageId: number, index: number): Promise<MediaBytes> {
    const atts = storedAttachments(db, messageId);
    const a = atts?.[index];
    if (!a || (!a.mediaId && !a.url)) throw new ApiError({ code: 'not_found', message: 'This message has no such attachment.' });
    const t = db
      .prepare('SELECT t.channel, t.account_id FROM messages m JOIN threads t ON t.id = m.thread_id WHERE m.id = ?')
      .get(messageId) as { channel: 'messenger' | 'instagram' | 'whatsapp'; account_id: string };
    if (a.mediaId) {
      const token = await deps.tokens.get(tokenAccount(t));
      if (!token) throw new ApiError({ code: 'reauth_required', message: 'Connect this WhatsApp number again to load media.' });
      // WhatsApp: the media id resolves to a short-lived URL that needs the same Bearer token.
      const info = await deps.graph.get<{ url?: string; mime_type?: string; file_size?: number }>(a.mediaId, token, {
        phone_number_id: t.account_id,
      });
      if (!info.url) throw new ApiError({ code: 'not_found', message: 'WhatsApp no longer has this file (media expires after 7 days).' });
      if (info.file_size && info.file_size > maxFile) throw tooBig();
      return download(info.url, token, info.mime_type ?? a.mimeType ?? 'application/octet-stream');
    }
    // Messenger / Instagram CDN URLs are signed by Meta and need no token.
    return download(a.url!, null, a.mimeType ?? 'application/octet-stream');
  }

  async function download(url: string, token: string | null, fallbackType: string): Promise<MediaBytes> {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(() => null);
    if (!res || !res.ok) {
      throw new ApiError({ code: res ? 'not_found' : 'offline', message: res ? `The file could not be loaded (HTTP ${res.status}).` : 'Offline: the file is not cached yet.' });
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > maxFile) throw tooBig();
    return { mimeType: res.headers.get('content-type')?.split(';')[0] || fallbackType, bytes };
  }

  function tooBig(): ApiError {
    return new ApiError({ code: 'not_allowed', message: `Files over ${Math.round(maxFile / 1048576)} MB open on the phone only.` });
  }

  function evict(): void {
    let total = (db.prepare('SELECT coalesce(sum(size), 0) AS n FROM media_cache').get() as { n: number }).n;
    if (total <= cap) return;
    const rows = db.prepare('SELECT key, file, size FROM media_cache ORDER BY last_used_at').all() as {
      key: string;
      file: string;
      size: number;
    }[];
    for (const r of rows) {
      if (total <= cap) break;
      rmSync(join(deps.dir, r.file), { force: true });
      db.prepare('DELETE FROM media_cache WHERE key = ?').run(r.key);
      total -= r.size;
    }
  }

  return { get };
}

export type MediaCache = ReturnType<typeof createMediaCache>;
