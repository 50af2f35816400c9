import { completeError, isRateLimitCode, type MetaErrorBody } from './errors';

/**
 * Fault switches: "the next N calls that match answer with this error / this status / after this
 * delay". Tests use them to prove retry, re-auth and rate-limit handling against Meta's shapes.
 */
export interface FaultMatch {
  /** Exact access token. */
  token?: string;
  /** The page the call concerns (the object's page, or the page token's page). */
  pageId?: string;
  /** Unversioned path: exact (`123/leads`) or with `*` for one segment (`*\/leads`). */
  path?: string;
  method?: string;
}

export type FaultAction =
  | (Partial<MetaErrorBody> & { code: number })
  | { status: number; code?: undefined }
  | { delayMs: number; code?: undefined; status?: undefined };

export interface FaultSpec {
  match?: FaultMatch;
  error: FaultAction;
  /** Calls it applies to; default 1, 0 or less = until cleared. */
  count?: number;
  /** For throttling codes: minutes put in estimated_time_to_regain_access. Default 1. */
  regainAccessMinutes?: number;
}

export interface Fault extends FaultSpec {
  id: number;
  hits: number;
}

export interface CallFacts {
  method: string;
  path: string;
  token: string | null;
  pageId: string | null;
}

export class FaultTable {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: this.nextId++, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The first matching fault (consumed by one), or null. */
  take(call: CallFacts): Fault | null {
    for (const f of this.faults) {
      if (!matches(f.match ?? {}, call)) continue;
      f.hits++;
      const count = f.count ?? 1;
      if (count > 0 && f.hits >= count) this.faults = this.faults.filter((x) => x !== f);
      return f;
    }
    return null;
  }
}

function matches(m: FaultMatch, call: CallFacts): boolean {
  if (m.token !== undefined && m.token !== call.token) return false;
  if (m.pageId !== undefined && m.pageId !== call.pageId) return false;
  if (m.method !== undefined && m.method.toUpperCase() !== call.method) return false;
  if (m.path !== undefined && !pathMatches(m.path, call.path)) return false;
  return true;
}

function pathMatches(pattern: string, path: string): boolean {
  const a = pattern.replace(/^\/+|\/+$/g, '').split('/');
  const b = path.replace(/^\/+|\/+$/g, '').split('/');
  return a.length === b.length && a.every((seg, i) => seg === '*' || seg === b[i]);
}

/** The BUC type a throttling code belongs to (mapping unconfirmed in Meta's text, see §6). */
function bucType(code: number): string {
  if (code === 80002) return 'instagram';
  if (code === 80005) return 'leadgen';
  if (code === 80006 || code === 613) return 'messenger';
  if (code === 80008) return 'whatsapp_business_management';
  return 'pages';
}

/** Meta-shaped answer for an error fault, with the usage headers Meta adds to throttled calls. */
export function faultResponse(
  fault: Fault,
  businessId: string,
): { status: number; body: MetaErrorBody; headers: Record<string, string> } | null {
  const action = fault.error;
  if ('delayMs' in action && action.delayMs !== undefined) return null;
  if (action.code === undefined) {
    const status = (action as { status: number }).status;
    const { body } = completeError({ code: 2 });
    return { status, body, headers: {} };
  }
  const { status, body } = completeError(action);
  const headers: Record<string, string> = {};
  if (isRateLimitCode(action.code)) {
    const regain = fault.regainAccessMinutes ?? 1;
    headers['x-app-usage'] = JSON.stringify({ call_count: 100, total_cputime: 34, total_time: 41 });
    headers['x-business-use-case-usage'] = JSON.stringify({
      [businessId]: [
        {
          type: bucType(action.code),
          call_count: 100,
          total_cputime: 34,
          total_time: 41,
          estimated_time_to_regain_access: regain,
        },
      ],
    });
  }
  return { status, body, headers };
}
