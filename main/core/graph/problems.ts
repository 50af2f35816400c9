import type { Problem } from '../../../shared/index';
import { GraphError } from './errors';

const reconnectFix = 'Open Settings → Accounts and click Reconnect Facebook.';

/** Why a 190 happened, by subcode (meta-platform.md §6), in words an owner understands. */
const tokenSubcodes: Record<number, string> = {
  458: 'Lead Inbox was removed from your Facebook apps',
  459: 'Facebook locked your account for a security check',
  460: 'your Facebook password changed',
  463: 'the Facebook login expired',
  464: 'your Facebook account is not confirmed',
  467: 'you logged out of Facebook or the login was revoked',
  492: 'you no longer have a role on this Page',
};

/**
 * Lead access restricted by the business's Leads Access Manager. Meta answers such reads with a
 * permission error (code 200 family) whose subcode names lead access; a reconnect does not help,
 * an admin has to assign access, so it gets its own fix text. The subcodes below are the ones seen
 * in public integrations; no stored Meta text confirms them (meta-platform.md §3 names only the
 * restriction), so anything else in the 200 family stays a reconnect problem.
 */
export function isLeadAccessError(e: GraphError): boolean {
  return e.code === 200 && (e.subcode === 1815002 || e.subcode === 2018196 || e.subcode === 1487);
}

/** Turns a Graph failure into what the owner sees: what happened and the fix. Decided by code, not text. */
export function problemFromGraphError(e: unknown, subject = 'this Page'): Problem {
  if (!(e instanceof GraphError)) {
    return {
      code: 'internal',
      message: `Syncing ${subject} failed unexpectedly.`,
      fix: 'Details are in the log.',
    };
  }
  if (isLeadAccessError(e)) {
    return {
      code: 'lead_access',
      message: `Your business restricts who can read leads of ${subject} (Leads Access Manager).`,
      fix: 'In Meta Business Suite open Settings → Integrations → Leads Access and give Lead Inbox (and your user) access, then click Sync now.',
    };
  }
  if (e.code === 190 || e.code === 102) {
    const why =
      (e.subcode !== null && tokenSubcodes[e.subcode]) || 'the Facebook login is no longer valid';
    return {
      code: `token_${e.subcode ?? e.code}`,
      message: `Leads stopped for ${subject}: ${why}.`,
      fix: reconnectFix,
    };
  }
  if (e.action === 'reauth') {
    return {
      code: `permission_${e.code ?? 0}`,
      message: `Lead Inbox lost a permission it needs for ${subject}.`,
      fix: `${reconnectFix} Allow every permission Facebook asks for.`,
    };
  }
  if (e.action === 'rate_limit') {
    return {
      code: 'rate_limited',
      message: 'Facebook asked Lead Inbox to slow down; syncing resumes by itself.',
      fix: null,
    };
  }
  if (e.action === 'retry') {
    return {
      code: 'unreachable',
      message: 'Facebook could not be reached; retrying by itself.',
      fix: 'Check the internet connection.',
    };
  }
  if (e.code === 100) {
    return {
      code: 'not_found',
      message: `Facebook no longer has this item for ${subject} (deleted or not accessible).`,
      fix: null,
    };
  }
  return {
    code: `graph_${e.code ?? e.status}`,
    message: `Facebook refused a request for ${subject}.`,
    fix: 'Details are in the log.',
  };
}
