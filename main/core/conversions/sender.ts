import { createHash } from 'node:crypto';
import type { ConversionSettings } from '../../../shared/index';
import type { GraphClient } from '../graph/client';
import { GraphError } from '../graph/errors';
import type { Usage } from '../graph/usage';
import type { Clock, Logger, TokenStore } from '../ports';
import type { Db } from '../store/db';
import { buildCapiEvent, retryDelayMs } from './payload';
import { dueEvents, markFailed, markRetry, markSent, maxEventAgeMs, type DueRow } from './queue';
import { keychainAccounts } from '../keychain/accounts';
import { readConversionSettings } from './settings';

/** Meta accepts at most 1000 events per request (meta-platform.md §7). */
export const maxBatch = 1000;

export interface SendOutcome {
  sent: number;
  failed: number;
  retrying: number;
  /** Set when a token was refused: sending stays paused until that token changes. */
  reauth: string | null;
  /** Leads whose log changed. */
  leadIds: Set<string>;
}

interface Group {
  account: string;
  testEventCode: string | null;
  rows: DueRow[];
}

export interface CapiSenderDeps {
  db: Db;
  graph: GraphClient;
  tokens: TokenStore;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /**
   * Calls to Meta per round at most. Bisecting a rejected batch costs about 2·b·log2(n/b) calls for
   * b bad events among n, and 2n-1 when every event is bad (say, a thousand leads Meta does not know):
   * past the budget the rest waits for the next round instead of hammering Meta. Default 64.
   */
  maxCallsPerRound?: number;
  /** Usage headers of the last response (X-App-Usage / X-Business-Use-Case-Usage). */
  usage?: () => Usage | null;
}

/** meta-platform.md §6: slow down at 80% of any limit, before Meta starts throttling. */
const slowDownPercent = 80;
const slowDownMs = 60_000;

/**
 * Sends what is due: groups events by token and test code, up to 1000 per request. A rejected batch
 * (one invalid event rejects them all) is split in halves until the bad events stand alone, so the
 * good ones still reach Meta and only the bad ones are marked failed with Meta's message.
 */
export function createCapiSender(deps: CapiSenderDeps) {
  const { db, graph, tokens, clock, logger } = deps;
  const random = deps.random ?? Math.random;
  /** Fingerprints of tokens Meta refused; we do not call again with them (no tight reauth loop). */
  const refused = new Set<string>();
  /** Set when usage headers near a limit: no sending before this time. */
  let quietUntil = 0;
  /** Calls this round may still make (maxCallsPerRound). */
  let callsLeft = 0;

  async function sendDue(): Promise<SendOutcome> {
    const out: SendOutcome = { sent: 0, failed: 0, retrying: 0, reauth: null, leadIds: new Set() };
    const settings = readConversionSettings(db);
    if (!settings.datasetId) return out;
    const now = clock.now();
    if (now < quietUntil) return out;
    callsLeft = deps.maxCallsPerRound ?? 64;
    const rows = dueEvents(db, now, maxBatch * 5);
    const fresh = rows.filter((r) => r.event_time >= now - maxEventAgeMs);
    const stale = rows.filter((r) => r.event_time < now - maxEventAgeMs);
    if (stale.length) {
      markFailed(db, stale.map((r) => r.id), 'Not sent: older than 7 days, which Meta no longer accepts.', false);
      stale.forEach((r) => out.leadIds.add(r.lead_id));
      out.failed += stale.length;
    }
    const systemToken = await tokens.get(keychainAccounts.capi(settings.datasetId));
    for (const group of groupRows(fresh, systemToken ? keychainAccounts.capi(settings.datasetId) : null)) {
      const token = systemToken ?? (await tokens.get(group.account));
      const ids = group.rows.map((r) => r.id);
      if (!token || refused.has(fingerprint(token))) {
        const why = token
          ? 'Meta refused the access token; reconnect Facebook to resume.'
          : 'No access token for this page; reconnect Facebook to resume.';
        markRetry(db, ids, now + 15 * 60_000, why);
        group.rows.forEach((r) => out.leadIds.add(r.lead_id));
        out.retrying += ids.length;
        out.reauth = why;
        continue;
      }
      for (let i = 0; i < group.rows.length; i += maxBatch) {
        const next = await sendBatch(group.rows.slice(i, i + maxBatch), token, group.testEventCode, settings, out);
        if (next === 'stop') return out;
        // This token or dataset is unusable: other pages' tokens may still work.
        if (next === 'skip_group') break;
      }
    }
    return out;
  }

  /**
   * 'stop' ends this round (rate limit, outage); 'skip_group' gives up on this token's events for
   * the round (token refused, dataset unreachable); 'next' carries on.
   */
  async function sendBatch(
    rows: DueRow[],
    token: string,
    testEventCode: string | null,
    settings: ConversionSettings,
    out: SendOutcome,
  ): Promise<'next' | 'stop' | 'skip_group'> {
    const ids = rows.map((r) => r.id);
    rows.forEach((r) => out.leadIds.add(r.lead_id));
    if (callsLeft <= 0) {
      const attempts = Math.max(...rows.map((r) => r.attempts));
      markRetry(db, ids, clock.now() + retryDelayMs(attempts, random), 'Waiting: Meta rejected events sent with these; checked again shortly.');
      out.retrying += ids.length;
      return 'stop';
    }
    callsLeft -= 1;
    try {
      const body: Record<string, unknown> = { data: rows.map((r) => buildCapiEvent(r, settings)) };
      if (testEventCode) body.test_event_code = testEventCode;
      const res = await graph.post<{ events_received?: number }>(`${settings.datasetId}/events`, token, body);
      markSent(db, ids, clock.now());
      out.sent += ids.length;
      if (res?.events_received !== undefined && res.events_received !== ids.length) {
        logger.warn('capi events_received differs from events sent', { sent: ids.length, received: res.events_received });
      }
      const usage = deps.usage?.();
      if (usage?.maxPercent != null && usage.maxPercent >= slowDownPercent) {
        quietUntil = clock.now() + Math.max(usage.regainAccessMs ?? 0, slowDownMs);
        logger.info('capi near a Meta rate limit; pausing', { percent: usage.maxPercent, untilMs: quietUntil });
        return 'stop';
      }
      return 'next';
    } catch (e) {
      const err = e instanceof GraphError ? e : null;
      const message = err ? metaMessage(err) : String(e);
      // GraphClient turns every network failure and timeout into a GraphError: anything else is a
      // bug of ours. It is retried like an outage (the events stay queued) but logged as an error,
      // so it is not mistaken for Meta being down (a full-suite run once showed only "retrying").
      if (!err) logger.error('capi send failed with an unexpected error', { events: ids.length, error: String(e) });
      if (!err || err.action === 'retry' || err.action === 'rate_limit') {
        const attempts = Math.max(...rows.map((r) => r.attempts));
        const delay = err?.retryAfterMs ?? retryDelayMs(attempts, random);
        markRetry(db, ids, clock.now() + delay, message);
        out.retrying += ids.length;
        logger.warn('capi send will be retried', { events: ids.length, code: err?.code ?? null, delayMs: delay });
        return 'stop';
      }
      if (err.action === 'reauth') {
        refused.add(fingerprint(token));
        markRetry(db, ids, clock.now() + 15 * 60_000, message);
        out.retrying += ids.length;
        out.reauth = message;
        logger.warn('capi token refused; paused until reconnect', { code: err.code, subcode: err.subcode });
        return 'skip_group';
      }
      if (err.code === 100 && err.subcode === 33) {
        // The dataset does not exist or this token may not use it: no event is at fault, so no
        // bisecting (that would be one call per event). They fail with Meta's words; the owner
        // fixes the dataset id or access and presses retry.
        markFailed(db, ids, message);
        out.failed += ids.length;
        return 'skip_group';
      }
      if (rows.length === 1) {
        markFailed(db, ids, message);
        out.failed += 1;
        return 'next';
      }
      // One invalid event rejects the whole batch: bisect to find it and still deliver the rest.
      const mid = Math.ceil(rows.length / 2);
      const first = await sendBatch(rows.slice(0, mid), token, testEventCode, settings, out);
      if (first !== 'next') return first;
      return sendBatch(rows.slice(mid), token, testEventCode, settings, out);
    }
  }

  return {
    sendDue,
    /** The owner reconnected or asked to retry: allow every token again. */
    forgetRefusedTokens: () => refused.clear(),
    /** Whether usage headers told us to hold off (for health). */
    slowedDown: () => clock.now() < quietUntil,
  };
}

export type CapiSender = ReturnType<typeof createCapiSender>;

function groupRows(rows: DueRow[], sharedAccount: string | null): Group[] {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const account = sharedAccount ?? `page:${r.page_id}`;
    const key = `${account}\u0000${r.test_event_code ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { account, testEventCode: r.test_event_code, rows: [] }));
    g.rows.push(r);
  }
  return [...groups.values()];
}

/** Meta's own words for the owner: its message plus the user-facing detail when it gives one. */
function metaMessage(err: GraphError): string {
  const text = err.userMessage && err.userMessage !== err.message ? `${err.message}: ${err.userMessage}` : err.message;
  return text.slice(0, 500);
}

/** Tokens are never stored; a hash is enough to notice the owner reconnected with a new one. */
function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
