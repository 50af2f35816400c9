import { type FaultSpec } from '../faults';
import { permissionEntry } from '../payloads';
import { verifyCallback } from '../routes/app';
import type { CallRecord } from '../state';
import type { DeliveryRecord } from '../webhooks';
import { CoreControl } from './core';

/** Switches a test flips: broken tokens, faults, webhook behaviour, login, the clock; and records. */
export class SwitchesControl extends CoreControl {
  /** Invalidates tokens: one token, or every token of a user (and the page tokens derived from them). */
  revokeToken(input: { token?: string; userId?: string; subcode?: number }): number {
    const subcode = input.subcode ?? 458;
    let n = 0;
    for (const t of this.state.tokens.values()) {
      if ((input.token && t.value === input.token) || (input.userId && t.userId === input.userId)) {
        t.invalid = subcode;
        n++;
      }
    }
    if (input.token && n === 0) throw new Error('unknown token');
    return n;
  }

  /**
   * The user removes the app in their Facebook settings: every token of theirs fails with 190/458,
   * and Meta calls the Deauthorize Callback (when the simulator knows its URL).
   */
  removeApp(userId: string): void {
    this.mustUser(userId);
    this.revokeToken({ userId, subcode: 458 });
    if (this.sim.settings.deauthorizeUrl)
      this.sim.webhooks.deauthorize(this.sim.settings.deauthorizeUrl, userId, this.state.nowS());
  }

  /** Webhook switches in one call: target URL, retry timing, drop/duplicate the next N, batching. */
  configureWebhooks(input: {
    url?: string | null;
    deauthorizeUrl?: string | null;
    retryBaseMs?: number;
    maxAttempts?: number;
    batchWindowMs?: number;
    drop?: number;
    duplicate?: number;
    hold?: boolean;
    flush?: boolean;
  }): { flushed: number[] } {
    const w = this.sim.webhooks;
    if (input.url !== undefined) w.setUrl(input.url);
    if (input.deauthorizeUrl !== undefined) this.sim.settings.deauthorizeUrl = input.deauthorizeUrl;
    for (const k of ['retryBaseMs', 'maxAttempts', 'batchWindowMs'] as const)
      if (input[k] !== undefined) w.configure({ [k]: input[k] });
    if (input.drop) w.dropNext(input.drop);
    if (input.duplicate) w.duplicateNext(input.duplicate);
    if (input.hold) w.hold();
    return { flushed: input.flush ? w.flush().map((r) => r.id) : [] };
  }

  /**
   * Meta's "Webhooks Disabled" after an hour of failed Messenger deliveries: the app is
   * unsubscribed from the page and must resubscribe itself (meta-platform.md §2.4).
   */
  unsubscribePage(pageId: string): void {
    const page = this.state.pages.get(pageId);
    if (!page) throw new Error(`unknown page ${pageId}`);
    page.subscribed.delete(this.state.appId);
  }

  /** Meta's callback verification GET against the current webhook URL (as on subscribing). */
  async verifyWebhook(
    verifyToken: string,
  ): Promise<{ ok: boolean; status: number | null; body: string }> {
    const url = this.sim.webhooks.url;
    if (!url) throw new Error('no webhook URL set');
    return verifyCallback(url, verifyToken, String(this.state.rng.int(100_000_000, 999_999_999)));
  }

  /** Webhook deliveries so far (body = the exact signed bytes). */
  deliveries(): DeliveryRecord[] {
    return this.sim.webhooks.records;
  }

  /** Resolves when no webhook delivery is in flight. */
  webhooksIdle(): Promise<void> {
    return this.sim.webhooks.idle();
  }

  /** Makes a token expired now (190/463 on next use). */
  expireToken(token: string): void {
    const t = this.state.tokens.get(token);
    if (!t) throw new Error('unknown token');
    t.expiresAt = Math.max(1, this.state.nowS() - 1);
  }

  /** The user loses their role on the page: their page tokens for it fail with 190/492. */
  removePageRole(userId: string, pageId: string): void {
    this.mustUser(userId).pages.delete(pageId);
    for (const t of this.state.tokens.values())
      if (t.kind === 'page' && t.userId === userId && t.pageId === pageId) t.invalid = 492;
  }

  /** The user revokes one permission in their settings; Meta sends a permissions webhook. */
  revokePermission(userId: string, permission: string): void {
    const user = this.mustUser(userId);
    user.scopes = user.scopes.filter((s) => s !== permission);
    for (const t of this.state.tokens.values())
      if (t.userId === userId) t.scopes = t.scopes.filter((s) => s !== permission);
    this.sim.webhooks.send(
      'permissions',
      permissionEntry(userId, this.state.nowS(), permission, 'revoked'),
    );
  }

  injectFault(spec: FaultSpec): number {
    return this.sim.faults.add(spec).id;
  }

  clearFaults(): void {
    this.sim.faults.clear();
  }

  setUsage(
    usage: Partial<{ call_count: number; total_cputime: number; total_time: number }>,
  ): void {
    Object.assign(this.sim.settings.usage, usage);
  }

  /** Graph calls received, oldest first (path is unversioned; token is the raw token). */
  calls(filter: { path?: string; method?: string } = {}): CallRecord[] {
    return this.state.calls.filter(
      (c) =>
        (!filter.path || c.path === filter.path) && (!filter.method || c.method === filter.method),
    );
  }

  nowMs(): number {
    return this.state.nowMs();
  }

  advanceTime(ms: number): void {
    this.state.advance(ms);
  }

  setOAuthAutoApprove(on: boolean): void {
    this.sim.settings.oauthAutoApprove = on;
  }

  setBrowserUser(userId: string): void {
    this.mustUser(userId);
    this.sim.settings.browserUserId = userId;
  }
}
